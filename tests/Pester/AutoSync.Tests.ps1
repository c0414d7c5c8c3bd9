#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Start-NewApiAutoSync: refuses while AutoSync is off; while on, runs what is due until stopped. The running loop is
# driven in a second runspace (a [powershell] on CreateDefault2, available in 5.1 and 7) and stopped like Ctrl+C with Stop().

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:Cmd = 'NewApiSync.PowerShell.Commands.StartNewApiAutoSyncCommand'
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Start-NewApiAutoSync' {
    It 'supports -WhatIf with ConfirmImpact Medium' {
        $attribute = (Get-Command -Name Start-NewApiAutoSync).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::Medium)
    }

    It 'refuses -CheckIntervalSec <Value>' -TestCases @(
        @{ Value = 4 }
        @{ Value = 3601 }
    ) {
        (Get-TerminatingError { Start-NewApiAutoSync -CheckIntervalSec $Value }).FullyQualifiedErrorId | Should -BeExactly "ParameterArgumentValidationError,$Cmd"
    }

    Context 'AutoSync off' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'stops at once with AutoSyncDisabled<Label>, before any request' -TestCases @(
            @{ Label = ''; Arguments = @{} }
            @{ Label = ' under -WhatIf'; Arguments = @{ WhatIf = $true } }
        ) {
            $sbx.Sandbox.ClearRequests()
            $errorRecord = Get-TerminatingError { Start-NewApiAutoSync @Arguments }

            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "AutoSyncDisabled,$Cmd"
            $errorRecord.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $errorRecord.ErrorDetails.RecommendedAction | Should -Match 'Set-NewApiSyncSetting -AutoSync'
            $sbx.Sandbox.Requests.Count | Should -Be 0
            Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
        }
    }

    Context 'AutoSync on, -WhatIf <When>' -ForEach @(
        # Never synced, so a run is due at once; or synced just now, so none is due: -WhatIf previews one run either way.
        @{ When = 'when a run is due'; SyncFirst = $false; RunsBefore = 0 }
        @{ When = 'when no run is due'; SyncFirst = $true; RunsBefore = 1 }
    ) {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            Set-NewApiSyncSetting -AutoSync $true
            if ($SyncFirst) {
                $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
                $sbx.Sandbox.ClearRequests()
            }

            $results = @(Start-NewApiAutoSync -WhatIf -ErrorAction SilentlyContinue)
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'previews every channel once and returns one run summary' {
            $results | Should -HaveCount 1
            $results[0].WhatIf | Should -BeTrue
            $results[0].Total | Should -Be 12
        }

        It 'writes nothing and journals nothing beyond the runs before' {
            $sbx.Sandbox.Updates.Count | Should -Be 0
            Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount $RunsBefore
        }
    }

    Context 'AutoSync on while another run holds the site' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            Set-NewApiSyncSetting -AutoSync $true
            # Another run holds the site: the run lock any process takes before writing.
            $lock = [NewApiSync.Engine.Journal.SiteRunLock]::TryAcquire($sbx.DataDirectory, $sbx.BaseUrl, $sbx.UserId, [TimeSpan]::Zero, [System.Threading.CancellationToken]::None, 'sync run')

            $loop = Start-NewApiTestBackgroundCommand -CommandName 'Start-NewApiAutoSync' -Parameters @{ Connection = $sbx; CheckIntervalSec = 30 }

            # The first check finds the site busy; the next one is 30 seconds away.
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ($loop.Shell.Streams.Warning.Count -eq 0 -and -not $loop.Pending.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }

            Start-Sleep -Milliseconds 500
            $stateBeforeStop = $loop.Shell.InvocationStateInfo.State
            Stop-NewApiTestBackgroundCommand -Command $loop
            $loopWarnings = @($loop.Shell.Streams.Warning | ForEach-Object -MemberName Message)
            $loopResults = @($loop.Output)
        }

        AfterAll {
            Remove-NewApiTestBackgroundCommand -Command $loop
            if ($lock) { $lock.Dispose() }
            Stop-NewApiSandbox
        }

        It 'skips the scheduled run with one warning and keeps waiting for the next check' {
            $lock | Should -Not -BeNullOrEmpty
            @($loopWarnings | Where-Object { $_ -like '*scheduled run is skipped*' }) | Should -HaveCount 1
            $stateBeforeStop | Should -Be ([System.Management.Automation.PSInvocationState]::Running)
        }

        It 'writes no result and changes nothing' {
            $loopResults | Should -HaveCount 0
            $sbx.Sandbox.Updates.Count | Should -Be 0
        }
    }

    Context 'AutoSync on, running until stopped' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            Set-NewApiSyncSetting -AutoSync $true -Interval '06:00:00'

            # The loop runs in its own runspace, on this sandbox (its settings and journal come with the connection).
            $loop = Start-NewApiTestBackgroundCommand -CommandName 'Start-NewApiAutoSync' -Parameters @{ Connection = $sbx; CheckIntervalSec = 5 }

            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($loop.Output.Count -lt 12 -and -not $loop.Pending.IsCompleted -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
            }

            # Still looping after the run: it waits for the next one until stopped.
            Start-Sleep -Milliseconds 300
            $stateBeforeStop = $loop.Shell.InvocationStateInfo.State
            Stop-NewApiTestBackgroundCommand -Command $loop
            $stateAfterStop = $loop.Shell.InvocationStateInfo.State
            $loopErrors = @($loop.Shell.Streams.Error)
            $loopResults = @($loop.Output)
        }

        AfterAll {
            Remove-NewApiTestBackgroundCommand -Command $loop
            Stop-NewApiSandbox
        }

        It 'runs the due sync and writes one summary for the run' {
            $loopResults | Should -HaveCount 1
            $loopResults[0].Total | Should -Be 12
            $sbx.Sandbox.Site.Get(1).Models | Should -BeLike 'gpt-4o,gpt-4o-2024-11-20,*'
        }

        It 'keeps running after the run until stopped' {
            $stateBeforeStop | Should -Be ([System.Management.Automation.PSInvocationState]::Running)
            $stateAfterStop | Should -Be ([System.Management.Automation.PSInvocationState]::Stopped)
        }

        It 'journals exactly one scheduled run' {
            $runs = Get-NewApiTestRun -Sandbox $sbx
            $runs | Should -HaveCount 1
            $runs[0].Mode | Should -Be 'IfDue'
        }

        It 'reports the failed channel as ChannelSyncFailed and carries on' {
            @($loopErrors | Where-Object { $_.FullyQualifiedErrorId -eq "ChannelSyncFailed,$Cmd" }) | Should -HaveCount 1
        }

        It 'leaves the next scheduled run to the interval' {
            @(Invoke-NewApiModelSync -IfDue) | Should -HaveCount 0
        }
    }
}
