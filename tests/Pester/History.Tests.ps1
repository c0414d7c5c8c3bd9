#Requires -Version 7.4
# Pester 5 tests of Get-NewApiSyncHistory and Restore-NewApiChannel against the built-in sandbox.
# Run: Invoke-Pester ./tests/Pester/History.Tests.ps1   (after: dotnet build NewApiSync.PS.sln -c Release)

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:Manifest = (Resolve-Path (Get-NewApiSyncTestModulePath)).Path

    $script:SampleModelsOf1 = 'gpt-4o,gpt-4o-mini,gpt-4-turbo'

    # A fresh sample sandbox (its own data folder) with fast settings, synced once in full.
    function Initialize-SyncedSandbox {
        param([scriptblock] $BeforeSync)
        $sbx = Start-NewApiTestSandbox
        if ($BeforeSync) { & $BeforeSync $sbx }
        $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
        $sbx
    }

    # The stored models text of a channel of this file's sandbox.
    function Get-StoredModelText([int] $Id) { $script:sbx.Sandbox.Site.Get($Id).Models }
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
    Get-Module NewApiSync | Remove-Module -Force
}

Describe 'Get-NewApiSyncHistory' {
    BeforeEach {
        $env:NEWAPI_BASE_URL = $null; $env:NEWAPI_ACCESS_TOKEN = $null; $env:NEWAPI_USER_ID = $null
        $script:sbx = Initialize-SyncedSandbox -BeforeSync { param($s) $s.Sandbox.Site.SetUpstream(4) }
        $script:runId = (Get-NewApiSyncHistory -Run | Select-Object -First 1).RunId
    }
    AfterEach { Stop-NewApiSandbox }

    It 'returns the records of the last sync run by default' {
        $records = Get-NewApiSyncHistory
        $records | Should -HaveCount 12
        $records[0] | Should -BeOfType ([NewApiSync.Engine.Results.NewApiSyncResult])
        ($records.RunId | Sort-Object -Unique) | Should -Be $runId
    }

    It 'filters by <Filter>' -ForEach @(
        @{ Filter = @{ Status = 'Failed' }; Expected = @(11) }
        @{ Filter = @{ Status = 'Skipped' }; Expected = @(4) }
        @{ Filter = @{ Status = 'Cancelled' }; Expected = @() }
        @{ Filter = @{ Search = 'EXPIRED KEY' }; Expected = @(11) }   # name, any case
        @{ Filter = @{ Search = 'status code: 401' }; Expected = @(11) }   # error message
        @{ Filter = @{ Search = '12' }; Expected = @(12) }   # channel id
        @{ Filter = @{ ChannelId = 2, 3 }; Expected = @(2, 3) }
        @{ Filter = @{ Kind = 'Restore' }; Expected = @() }
        @{ Filter = @{ Since = (Get-Date).AddMinutes(5) }; Expected = @() }
        @{ Filter = @{ Since = (Get-Date).AddHours(-1); ChannelId = 1 }; Expected = @(1) }
    ) {
        $ids = @(Get-NewApiSyncHistory @Filter | ForEach-Object ChannelId | Sort-Object)
        $ids | Should -Be $Expected
    }

    It 'finds records by -RunId and -Last' {
        @(Get-NewApiSyncHistory -RunId $runId -ChannelId 5).ChannelId | Should -Be 5
        $null = Invoke-NewApiModelSync -Id 4
        @(Get-NewApiSyncHistory) | Should -HaveCount 1
        @(Get-NewApiSyncHistory -Last 2) | Should -HaveCount 13
    }

    It 'returns run summaries with -Run' {
        $run = Get-NewApiSyncHistory -Run | Select-Object -First 1
        $run | Should -BeOfType ([NewApiSync.Engine.Results.NewApiSyncRun])
        $run.Kind | Should -Be 'Sync'
        $run.Mode | Should -Be 'All'
        $run.Total | Should -Be 12
        $run.Failed | Should -Be 1
        $run.Skipped | Should -Be 1
        $run.Interrupted | Should -BeFalse
        $run.Duration | Should -Not -BeNullOrEmpty
    }

    It 'reads a site journal with -BaseUrl without connecting' {
        $data = $sbx.DataDirectory; $url = $sbx.BaseUrl
        $sbx.Sandbox.ClearRequests()
        $failed = pwsh -NoProfile -Command "
            `$env:NEWAPISYNC_DATA = '$data'
            Import-Module '$script:Manifest'
            (Get-NewApiSyncHistory -BaseUrl '$url' -Status Failed).ChannelId"
        $failed | Should -Be '11'
        $sbx.Sandbox.Requests.Count | Should -Be 0
    }

    It 'pipes failed records back into a sync' {
        $sbx.Sandbox.Site.SetUpstreamError(11, $null)
        $rerun = Get-NewApiSyncHistory -Status Failed | Invoke-NewApiModelSync
        $rerun.ChannelId | Should -Be 11
        $rerun.Status | Should -Be 'Succeeded'
    }

    It 'stops on bad input with a clear error' {
        { Get-NewApiSyncHistory -Last 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
        { Get-NewApiSyncHistory -RunId '../settings' } | Should -Throw -ErrorId 'InvalidHistoryQuery,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
        Get-NewApiSyncHistory -RunId 20200101T000000000Z-abcdef -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -Be 'CannotFindRun,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
    }
}

Describe 'Restore-NewApiChannel' {
    BeforeEach {
        $env:NEWAPI_BASE_URL = $null; $env:NEWAPI_ACCESS_TOKEN = $null; $env:NEWAPI_USER_ID = $null
        $script:sbx = Initialize-SyncedSandbox
        $script:synced = Get-StoredModelText 1
    }
    AfterEach { Stop-NewApiSandbox }

    It 'is ConfirmImpact High and supports -WhatIf' {
        $command = Get-Command Restore-NewApiChannel
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
    }

    It 'restores a sync: the server holds the old models again, as a journaled Restore run' {
        $restored = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false
        Get-StoredModelText 1 | Should -Be $SampleModelsOf1
        $restored | ForEach-Object { $_.Kind | Should -Be 'Restore' }
        ($restored | Where-Object ChannelId -eq 11).Status | Should -Be 'Skipped'
        (Get-NewApiSyncHistory -Run | Select-Object -First 1).Kind | Should -Be 'Restore'
    }

    It 'undoes a restore' {
        $null = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false
        $null = Get-NewApiSyncHistory -Kind Restore | Restore-NewApiChannel -Confirm:$false
        Get-StoredModelText 1 | Should -Be $synced
    }

    It 'brings a cleared mapping back exactly, even when it was not valid JSON' -ForEach @(
        @{ Old = '{ "glm-4": "glm-4.5", "glm-z": "glm-4.6" }' }
        @{ Old = '{glm-4: glm-4.5' }
    ) {
        # A clear run as Clear-NewApiModelRedirect journals it, and the channel as it left it.
        $sbx.Sandbox.Site.Change(9, [Action[NewApiSync.Sandbox.SandboxChannel]] { param($c) $c.ModelMapping = '{}' }) | Out-Null
        $journal = [NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, 1)
        $now = [DateTimeOffset]::UtcNow
        $header = [NewApiSync.Engine.Results.NewApiSyncRun]@{
            RunId = $now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'") + '-c1ea12'
            Kind = 'Clear'; BaseUrl = $sbx.BaseUrl; UserId = 1; Mode = 'Selected'; StartedAt = $now
        }
        $writer = $journal.BeginRun($header)
        $models = [string[]]((Get-StoredModelText 9) -split ',')
        $record = [NewApiSync.Engine.Results.NewApiSyncResult]@{
            RunId = $header.RunId; Kind = 'Clear'; BaseUrl = $sbx.BaseUrl; ChannelId = 9; ChannelName = 'Zhipu GLM'
            Status = 'Succeeded'; Changed = $true; OldModels = $models; NewModels = $models
            OldModelMapping = $Old; NewModelMapping = '{}'; StartedAt = $now
        }
        $writer.Append($record)
        $writer.Complete($writer.Summary([DateTimeOffset]::UtcNow))
        $writer.Dispose()

        $null = Restore-NewApiChannel -RunId $header.RunId -Confirm:$false
        $sbx.Sandbox.Site.Get(9).ModelMapping | Should -BeExactly $Old
    }

    It 'refuses a channel changed since the run, with advice, and -Force restores it' {
        $sbx.Sandbox.Site.Change(1, [Action[NewApiSync.Sandbox.SandboxChannel]] { param($c) $c.Models = 'gpt-5' }) | Out-Null
        $null = Get-NewApiSyncHistory -ChannelId 1 | Restore-NewApiChannel -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'ChannelRestoreFailed,NewApiSync.PowerShell.Commands.RestoreNewApiChannelCommand'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-StoredModelText 1 | Should -Be 'gpt-5'

        $null = Get-NewApiSyncHistory -ChannelId 1 | Restore-NewApiChannel -Force -Confirm:$false
        Get-StoredModelText 1 | Should -Be $SampleModelsOf1
    }

    It 'writes and journals nothing under -WhatIf' {
        $sbx.Sandbox.ClearRequests()
        $null = Get-NewApiSyncHistory | Restore-NewApiChannel -WhatIf
        $sbx.Sandbox.Updates.Count | Should -Be 0
        @(Get-NewApiSyncHistory -Run) | Should -HaveCount 1
        Get-StoredModelText 1 | Should -Be $synced
    }

    It 'stops on an unknown run or records of another site before writing' {
        $sbx.Sandbox.ClearRequests()
        { Restore-NewApiChannel -RunId 20200101T000000000Z-abcdef -Confirm:$false } | Should -Throw -ErrorId 'CannotFindRun,NewApiSync.PowerShell.Commands.RestoreNewApiChannelCommand'
        { Get-NewApiSyncHistory | ForEach-Object { $_.BaseUrl = 'https://other.example.com'; $_ } | Restore-NewApiChannel -Confirm:$false } |
            Should -Throw -ErrorId 'HistoryRecordOfAnotherSite,NewApiSync.PowerShell.Commands.RestoreNewApiChannelCommand'
        $sbx.Sandbox.Updates.Count | Should -Be 0
    }

    It 'never writes a secret into the journal' {
        $null = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false
        $text = Get-ChildItem -LiteralPath $sbx.DataDirectory -Recurse -File | Get-Content -Raw | Out-String
        $text | Should -Match '"Restore"'
        $text | Should -Not -Match ([regex]::Escape($sbx.Sandbox.AccessToken))
        $text | Should -Not -Match 'sk-upstream-secret'
    }
}
