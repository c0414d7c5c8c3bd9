#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Invoke-NewApiModelSync against the sample sandbox (12 channels; channel 11's upstream refuses, 8 and 12 are disabled).

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:Cmd = 'NewApiSync.PowerShell.Commands.InvokeNewApiModelSyncCommand'
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Invoke-NewApiModelSync' {
    It 'supports -WhatIf with ConfirmImpact Medium' {
        $attribute = (Get-Command -Name Invoke-NewApiModelSync).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::Medium)
    }

    Context 'A run over the whole site' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $results = @(Invoke-NewApiModelSync -ErrorVariable syncErrors -ErrorAction SilentlyContinue)
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'writes one result per channel, all of one run' {
            $results | Should -HaveCount 12
            $results | ForEach-Object { $_ | Should -BeOfType ([NewApiSync.Engine.Results.NewApiSyncResult]) }
            @($results.RunId | Select-Object -Unique) | Should -HaveCount 1
        }

        It 'fails only the channel whose upstream refuses, with ErrorKind Upstream' {
            $failed = @($results | Where-Object { $_.Status -eq 'Failed' })
            $failed | Should -HaveCount 1
            $failed[0].ChannelId | Should -Be 11
            $failed[0].ErrorKind | Should -Be 'Upstream'
        }

        It 'reports the failed channel as one non-terminating ChannelSyncFailed error whose target is its result' {
            $syncErrors | Should -HaveCount 1
            $syncErrors[0].FullyQualifiedErrorId | Should -BeExactly "ChannelSyncFailed,$Cmd"
            $syncErrors[0].TargetObject.ChannelId | Should -Be 11
            [object]::ReferenceEquals($syncErrors[0].TargetObject, ($results | Where-Object { $_.Status -eq 'Failed' })) | Should -BeTrue
            $syncErrors[0].Exception.Message | Should -Match ([regex]::Escape('OpenAI reseller (expired key)'))
            $syncErrors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'writes the upstream list to a channel that differed' {
            $sbx.Sandbox.Site.Get(1).Models | Should -BeExactly 'gpt-4o,gpt-4o-2024-11-20,gpt-4o-mini,gpt-4.1,gpt-4.1-2025-04-14,gpt-4.1-mini,o3,o4-mini,gpt-5,gpt-5-mini'
            ($results | Where-Object { $_.ChannelId -eq 1 }).Changed | Should -BeTrue
        }

        It 'sends only id and models in each write' {
            foreach ($update in $sbx.Sandbox.Updates) {
                @(($update.Body | ConvertFrom-Json).PSObject.Properties.Name) | Should -Be @('id', 'models')
            }
        }

        It 'journals the run once, as mode All' {
            $runs = Get-NewApiTestRun -Sandbox $sbx
            $runs | Should -HaveCount 1
            $runs[0].Mode | Should -Be 'All'
        }
    }

    Context '-WhatIf' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $results = @(Invoke-NewApiModelSync -WhatIf -ErrorAction SilentlyContinue)
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'fetches and compares every channel' {
            $results | Should -HaveCount 12
            @($sbx.Sandbox.Requests | Where-Object { $_.Route -eq 'FetchModels' }).Count | Should -BeGreaterOrEqual 12
        }

        It 'writes nothing and leaves no journal' {
            $sbx.Sandbox.Updates.Count | Should -Be 0
            Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
            $sbx.Sandbox.Site.Get(1).Models | Should -BeExactly 'gpt-4o,gpt-4o-mini,gpt-4-turbo'
        }

        It 'shows the change a channel would get as a Skipped result' {
            $preview = $results | Where-Object { $_.ChannelId -eq 1 }
            $preview.Status | Should -Be 'Skipped'
            $preview.AddedModels | Should -HaveCount 8
            $preview.RemovedModels | Should -Be @('gpt-4-turbo')
            $preview.Reason | Should -Match 'WhatIf'
        }
    }

    Context 'Channels from the pipeline or -Id' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'syncs <Name> in one run' -TestCases @(
            @{ Name = 'piped channels'; Expected = @(1, 6, 11); Script = { Get-NewApiChannel -Name *open* | Invoke-NewApiModelSync -ErrorAction SilentlyContinue } }
            @{ Name = '-Id'; Expected = @(4, 5); Script = { Invoke-NewApiModelSync -Id 4, 5 } }
            @{ Name = 'a positional id'; Expected = @(3); Script = { Invoke-NewApiModelSync 3 } }
            @{ Name = 'objects with ChannelId'; Expected = @(2, 7); Script = { [pscustomobject]@{ ChannelId = 7 }, [pscustomobject]@{ ChannelId = 2 } | Invoke-NewApiModelSync } }
            @{ Name = 'a disabled channel given explicitly'; Expected = @(8); Script = { Get-NewApiChannel -Status ManuallyDisabled | Invoke-NewApiModelSync } }
        ) {
            $results = @(& $Script)
            @($results.ChannelId | Sort-Object) | Should -Be $Expected
            @($results.RunId | Select-Object -Unique) | Should -HaveCount 1
            (Get-NewApiTestRun -Sandbox $sbx | Where-Object { $_.RunId -eq $results[0].RunId }).Mode | Should -Be 'Selected'
        }

        It 'names a channel given by -Id even when its upstream fails' {
            $result = Invoke-NewApiModelSync -Id 11 -ErrorAction SilentlyContinue -ErrorVariable syncErrors
            $result.Status | Should -Be 'Failed'
            $result.ChannelName | Should -BeExactly 'OpenAI reseller (expired key)'
            $result.OldModels | Should -Not -BeNullOrEmpty
            $syncErrors[0].Exception.Message | Should -BeLike "*'OpenAI reseller (expired key)' (#11)*"
        }
    }

    Context '-FailedOnly' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        # The three tests run in order: no run yet, then a run with one failure, then nothing left.
        It 'warns, without an error, when the site has no sync run yet' {
            $results = @(Invoke-NewApiModelSync -FailedOnly -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors)
            $results | Should -HaveCount 0
            $warnings | Should -Match 'no sync run'
            $errors | Should -HaveCount 0
        }

        It 're-runs only the channel that failed' {
            $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
            $sbx.Sandbox.Site.SetUpstreamError(11, $null)
            $sbx.Sandbox.ClearRequests()

            $rerun = @(Invoke-NewApiModelSync -FailedOnly)

            $rerun | Should -HaveCount 1
            $rerun[0].ChannelId | Should -Be 11
            $rerun[0].Status | Should -Be 'Succeeded'
            @($sbx.Sandbox.Requests | Where-Object { $_.Route -eq 'FetchModels' } | ForEach-Object { $_.ChannelId }) | Should -Be @(11)
        }

        It 'says plainly when nothing is left to re-run' {
            $results = @(Invoke-NewApiModelSync -FailedOnly -WarningVariable warnings -WarningAction SilentlyContinue)
            $results | Should -HaveCount 0
            $warnings | Should -Match 'nothing to re-run'
        }
    }

    Context '-IfDue' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'does nothing while AutoSync is off and says so with -Verbose' {
            $output = @(Invoke-NewApiModelSync -IfDue -Verbose 4>&1)
            @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -HaveCount 0
            @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match 'Auto-sync is off'
            Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
        }

        It 'runs every channel when AutoSync is on and the site was never synced' {
            Set-NewApiSyncSetting -AutoSync $true -Interval '06:00:00' -WarningAction SilentlyContinue

            $results = @(Invoke-NewApiModelSync -IfDue -ErrorAction SilentlyContinue)

            $results | Should -HaveCount 12
            $runs = Get-NewApiTestRun -Sandbox $sbx
            $runs | Should -HaveCount 1
            $runs[0].Mode | Should -Be 'IfDue'
            $runs[0].NextScheduledTime | Should -Not -BeNullOrEmpty
        }

        It 'does nothing until the interval has passed and says when the next run is due' {
            $output = @(Invoke-NewApiModelSync -IfDue -Verbose 4>&1)
            @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -HaveCount 0
            @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Match 'next run is due at'
            Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 1
        }
    }

    Context 'Errors that stop the run' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'refuses <Name> before any request' -TestCases @(
            @{ Name = '-Concurrency 0'; Arguments = @{ Concurrency = 0 } }
            @{ Name = '-Concurrency 33'; Arguments = @{ Concurrency = 33 } }
            @{ Name = '-RequestsPerMinute 0'; Arguments = @{ RequestsPerMinute = 0 } }
            @{ Name = '-Burst 0'; Arguments = @{ Burst = 0 } }
            @{ Name = '-MaxRetries -1'; Arguments = @{ MaxRetries = -1 } }
            @{ Name = '-ChannelTimeoutSec -5'; Arguments = @{ ChannelTimeoutSec = -5 } }
            @{ Name = '-Id 0'; Arguments = @{ Id = 0 } }
        ) {
            $sbx.Sandbox.ClearRequests()
            $errorRecord = Get-TerminatingError { Invoke-NewApiModelSync @Arguments }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "ParameterArgumentValidationError,$Cmd"
            $sbx.Sandbox.Requests.Count | Should -Be 0
        }

        It 'refuses an invalid model pattern with InvalidModelPattern before any request' {
            $sbx.Sandbox.ClearRequests()
            $errorRecord = Get-TerminatingError { Invoke-NewApiModelSync -IncludeModel 'gpt-[4' }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "InvalidModelPattern,$Cmd"
            $errorRecord.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $sbx.Sandbox.Requests.Count | Should -Be 0
        }

        It 'stops the whole run on the first refused token with NewApiAuthenticationFailed' {
            Set-NewApiSyncSetting -Concurrency 1
            $null = $sbx.Sandbox.Faults.FailNext('FetchModels', 'Unauthorized', 1, 2)
            $sbx.Sandbox.ClearRequests()

            $Error.Clear()
            $errorRecord = Get-TerminatingError { Invoke-NewApiModelSync }

            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "NewApiAuthenticationFailed,$Cmd"
            # One error for the run: the channel that met the refusal writes no ChannelSyncFailed of its own.
            @($Error | Where-Object { $_.FullyQualifiedErrorId -like 'ChannelSyncFailed*' }) | Should -HaveCount 0
            $errorRecord.CategoryInfo.Category | Should -Be 'AuthenticationError'
            # Not retried: channel 2's models were fetched exactly once.
            @($sbx.Sandbox.Requests | Where-Object { $_.Route -eq 'FetchModels' -and $_.ChannelId -eq 2 }).Count | Should -Be 1
        }
    }

    Context 'A second run for the same site' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            # Another run holds the site: the run lock any process takes before writing.
            $lock = [NewApiSync.Engine.Journal.SiteRunLock]::TryAcquire($sbx.DataDirectory, $sbx.BaseUrl, $sbx.UserId, [TimeSpan]::Zero, [System.Threading.CancellationToken]::None, 'sync run')
        }

        AfterAll {
            if ($lock) { $lock.Dispose() }
            Stop-NewApiSandbox
        }

        It 'stops a manual run with RunInProgress naming the holder' {
            $lock | Should -Not -BeNullOrEmpty
            $errorRecord = Get-TerminatingError { Invoke-NewApiModelSync }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "RunInProgress,$Cmd"
            $errorRecord.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $errorRecord.Exception.Message | Should -Match "process $PID"
        }

        It 'skips a scheduled run with a warning instead of an error' {
            Set-NewApiSyncSetting -AutoSync $true
            $results = @(Invoke-NewApiModelSync -IfDue -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors)
            $results | Should -HaveCount 0
            $warnings | Should -Match 'scheduled run is skipped'
            $errors | Should -HaveCount 0
            $sbx.Sandbox.Updates.Count | Should -Be 0
        }

        It 'still previews with -WhatIf, which takes no lock' {
            @(Invoke-NewApiModelSync -Id 1 -WhatIf) | Should -HaveCount 1
        }
    }

    Context 'Without any connection' {
        BeforeAll {
            Stop-NewApiSandbox
            Disconnect-NewApi -ErrorAction SilentlyContinue
            $savedVariables = @{}
            foreach ($name in 'NEWAPI_BASE_URL', 'NEWAPI_ACCESS_TOKEN', 'NEWAPI_USER_ID') {
                $savedVariables[$name] = [Environment]::GetEnvironmentVariable($name)
                [Environment]::SetEnvironmentVariable($name, $null)
            }
        }

        AfterAll {
            foreach ($name in $savedVariables.Keys) {
                [Environment]::SetEnvironmentVariable($name, $savedVariables[$name])
            }
        }

        It 'stops with NewApiConfigurationMissing naming the variables to set' {
            $errorRecord = Get-TerminatingError { Invoke-NewApiModelSync }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "NewApiConfigurationMissing,$Cmd"
            $errorRecord.Exception.Message | Should -Match 'NEWAPI_ACCESS_TOKEN'
        }

        It 'stops with NewApiConfigurationInvalid when NEWAPI_USER_ID is not a number' {
            [Environment]::SetEnvironmentVariable('NEWAPI_BASE_URL', 'http://127.0.0.1:9')
            [Environment]::SetEnvironmentVariable('NEWAPI_ACCESS_TOKEN', 'not-a-real-token')
            [Environment]::SetEnvironmentVariable('NEWAPI_USER_ID', 'admin')
            $errorRecord = Get-TerminatingError { Invoke-NewApiModelSync }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "NewApiConfigurationInvalid,$Cmd"
        }
    }

    Context 'A site from the NEWAPI_* variables over plain http' {
        BeforeAll {
            Stop-NewApiSandbox
            # -FailedOnly on an empty journal resolves the connection and returns before any request, and .invalid
            # never resolves: no traffic leaves this machine.
            $savedDataRoot = $env:NEWAPISYNC_DATA
            $env:NEWAPISYNC_DATA = Join-Path -Path $TestDrive -ChildPath 'data'
            Restore-NewApiEnvironment -Value @{ NEWAPI_BASE_URL = 'http://newapi.invalid'; NEWAPI_ACCESS_TOKEN = 'tok-insecure-1234'; NEWAPI_USER_ID = '1' }
            $everything = @(Invoke-NewApiModelSync -FailedOnly *>&1)
            $warnings = @($everything | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object -MemberName Message)
        }

        AfterAll {
            Restore-NewApiEnvironment
            $env:NEWAPISYNC_DATA = $savedDataRoot
        }

        It 'warns that the token would travel unencrypted, naming the variable' {
            @($warnings | Where-Object { $_ -like '*plain http://*' -and $_ -like '*NEWAPI_BASE_URL*' }) | Should -HaveCount 1
        }

        It 'still says plainly that there is nothing to re-run' {
            @($warnings | Where-Object { $_ -like '*nothing to re-run*' }) | Should -HaveCount 1
        }

        It 'shows the token in no stream' {
            $everything | Should -Not -BeNullOrEmpty
            ($everything | Out-String) | Should -Not -BeLike '*tok-insecure-1234*'
        }
    }
}
