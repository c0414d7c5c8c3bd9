#Requires -Version 7.4
# Pester 5 tests found by an adversarial review of the issue 15 and 16 changes: each one failed before its fix.
# Run: Invoke-Pester ./tests/Pester/Adversarial.Tests.ps1   (after: dotnet build NewApiSync.PS.sln -c Release)

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest

    function Invoke-FreshPwshWithDeadline {
        # Runs a command in a new pwsh process (as Invoke-FreshPwsh does) and returns whether it ended within the
        # deadline, with its output lines. A process that hangs is killed, so a hang fails the test instead of the suite.
        param([Parameter(Mandatory)] [string] $Command)

        $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
        $start = [System.Diagnostics.ProcessStartInfo]::new($process)
        if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
            $start.ArgumentList.Add((Join-Path -Path $PSHOME -ChildPath 'pwsh.dll'))
        }

        foreach ($argument in '-NoProfile', '-NonInteractive', '-EncodedCommand', [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Command))) {
            $start.ArgumentList.Add($argument)
        }

        $start.RedirectStandardOutput = $true
        # The host's warning lines (written while a pipeline stops) come out here, as CLIXML.
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $child = [System.Diagnostics.Process]::Start($start)
        try {
            $reading = $child.StandardOutput.ReadToEndAsync()
            $readingErrors = $child.StandardError.ReadToEndAsync()
            # Generous: the command itself takes a few seconds; only a hang takes longer.
            $ended = $child.WaitForExit(120000)
            if (-not $ended) {
                $child.Kill($true)
                $null = $child.WaitForExit(10000)
            }

            [pscustomobject]@{
                Ended  = $ended
                Lines  = @($reading.GetAwaiter().GetResult() -split "`n" | ForEach-Object { $_.Trim() } | Where-Object { $_ })
                Errors = $readingErrors.GetAwaiter().GetResult()
            }
        } finally {
            $child.Dispose()
        }
    }
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
    Get-Module -Name NewApiSync | Remove-Module -Force
}

Describe 'A run whose output a downstream Select-Object -First 1 cuts short' {
    # Several channels ask ShouldProcess at once; the questions queued behind the first record must still be answered
    # (as cancelled), or the channels waiting on them, and the command, never end. Each case runs in its own process,
    # so a hang can be ended.
    It 'Invoke-NewApiModelSync -WhatIf ends with the first record, and says the preview stopped' {
        $script = @"
`$ProgressPreference = 'SilentlyContinue'
Import-Module -Name '$(Get-NewApiSyncTestModulePath)' -ErrorAction Stop
`$sandbox = Start-NewApiSandbox -ChannelCount 200
Set-NewApiSyncSetting -Concurrency 8 -RequestsPerMinute 6000 -Burst 100
`$first = @(Invoke-NewApiModelSync -WhatIf | Select-Object -First 1)
"records: `$(`$first.Count)"
"updates: `$(`$sandbox.Sandbox.Updates.Count)"
Stop-NewApiSandbox
"@
        $run = Invoke-FreshPwshWithDeadline -Command $script
        $run.Ended | Should -BeTrue
        $run.Lines | Should -Contain 'records: 1'
        $run.Lines | Should -Contain 'updates: 0'
        # A preview wrote nothing and left no history: -FailedOnly would re-run the last real run's failures instead.
        $run.Errors | Should -Not -BeLike '*-FailedOnly*'
        $run.Errors | Should -BeLike '*preview did not reach*'
    }
}

Describe 'A refused token or role met by a channel in a redirect, clear or check run' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
    }
    AfterEach {
        Stop-NewApiSandbox
    }

    # The run stops with the one run-wide error, as a sync does: a channel that met the refusal writes no error of its
    # own, so -ErrorAction Stop (and a catch on the ErrorId) sees NewApiPermissionDenied, not ChannelRedirectFailed.
    It '<Command> -Id stops with <ErrorId> on <Fault> under -ErrorAction Stop' -ForEach @(
        @{ Command = 'New-NewApiModelRedirect'; Fault = 'Forbidden'; ErrorId = 'NewApiPermissionDenied'; Invocation = { New-NewApiModelRedirect -Id 1, 2 -Confirm:$false } }
        @{ Command = 'Clear-NewApiModelRedirect'; Fault = 'Forbidden'; ErrorId = 'NewApiPermissionDenied'; Invocation = { Clear-NewApiModelRedirect -Id 1, 2 -Confirm:$false } }
        @{ Command = 'Test-NewApiModelRedirect'; Fault = 'Forbidden'; ErrorId = 'NewApiPermissionDenied'; Invocation = { Test-NewApiModelRedirect -Id 1, 2 } }
        @{ Command = 'New-NewApiModelRedirect'; Fault = 'Unauthorized'; ErrorId = 'NewApiAuthenticationFailed'; Invocation = { New-NewApiModelRedirect -Id 1, 2 -Confirm:$false } }
        @{ Command = 'Clear-NewApiModelRedirect'; Fault = 'Unauthorized'; ErrorId = 'NewApiAuthenticationFailed'; Invocation = { Clear-NewApiModelRedirect -Id 1, 2 -Confirm:$false } }
        @{ Command = 'Test-NewApiModelRedirect'; Fault = 'Unauthorized'; ErrorId = 'NewApiAuthenticationFailed'; Invocation = { Test-NewApiModelRedirect -Id 1, 2 } }
    ) {
        $null = $sbx.Sandbox.Faults.FailNext([NewApiSync.Sandbox.SandboxRoute]::GetChannel, [NewApiSync.Sandbox.SandboxFaultKind]$Fault, 10)
        $failure = Get-TerminatingError {
            $ErrorActionPreference = 'Stop'
            $null = & $Invocation
        }
        $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $sbx.Sandbox.Updates | Should -HaveCount 0
    }
}

Describe 'A redirect run that stops before it has read the channels' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
    }
    AfterEach {
        Stop-NewApiSandbox
    }

    # Which channels serve a name is known only after a run that read them; a run stopped by a 403 has not, so calling
    # the caller's own standard name a likely typo would send them after the wrong problem.
    It 'does not call a standard name a typo' {
        $null = $sbx.Sandbox.Faults.FailNext([NewApiSync.Sandbox.SandboxRoute]::ListChannels, [NewApiSync.Sandbox.SandboxFaultKind]::Forbidden, 10)
        $failureId = $null
        try {
            $null = New-NewApiModelRedirect -StandardModel 'gpt-4o', 'house-model-1' -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        } catch {
            $failureId = $_.FullyQualifiedErrorId
        }
        $failureId | Should -BeLike 'NewApiPermissionDenied,*'
        $warnings | Where-Object { "$_" -like '*house-model-1*' } | Should -BeNullOrEmpty
    }
}

Describe 'A journal line with a null channel name' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        # Every upstream fetch fails, so each channel is Failing; then the run's lines lose their names.
        $null = $sbx.Sandbox.Faults.FailNext([NewApiSync.Sandbox.SandboxRoute]::FetchModels, [NewApiSync.Sandbox.SandboxFaultKind]::ServerError, 100)
        $null = Invoke-NewApiModelSync -Id 1, 2 -Confirm:$false -ErrorAction SilentlyContinue
        $runFile = Get-ChildItem -Path $sbx.DataDirectory -Recurse -Filter '*.jsonl' | Select-Object -First 1
        $text = [System.IO.File]::ReadAllText($runFile.FullName) -replace '"channelName":"[^"]*"', '"channelName":null'
        [System.IO.File]::WriteAllText($runFile.FullName, $text)
    }
    AfterEach {
        Stop-NewApiSandbox
    }

    It 'is searched by -Failing -Search like any other record' {
        $found = @(Get-NewApiSyncHistory -Failing -Search '2' -ErrorAction Stop)
        $found.ChannelId | Should -Be @(2)
        $found[0].ChannelName | Should -BeExactly ''
    }
}
