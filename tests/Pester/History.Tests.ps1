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
        @{ Filter = @{ Status = 'All'; ChannelId = 2, 3 }; Expected = @(2, 3) }
        @{ Filter = @{ Status = 'Succeeded' }; Expected = @(1, 2, 3, 5, 6, 7, 8, 9, 10, 12) }
        @{ Filter = @{ Search = 'glm' }; Expected = @(9) }
        @{ Filter = @{ Status = 'Succeeded'; Search = 'expired' }; Expected = @() }
    ) {
        $ids = @(Get-NewApiSyncHistory @Filter -ErrorVariable problems | ForEach-Object -MemberName ChannelId | Sort-Object)
        $ids | Should -Be $Expected
        $problems | Should -BeNullOrEmpty
    }

    It 'finds records by -RunId and -Last' {
        @(Get-NewApiSyncHistory -RunId $runId -ChannelId 5).ChannelId | Should -Be 5
        $null = Invoke-NewApiModelSync -Id 4
        @(Get-NewApiSyncHistory) | Should -HaveCount 1
        @(Get-NewApiSyncHistory -Last 2) | Should -HaveCount 13
    }

    It 'lists the runs newest first with -Run, and -Last counts runs' {
        Set-NewApiSyncSetting -AutoSync $true
        $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
        $null = Invoke-NewApiModelSync -Id 4

        @(Get-NewApiSyncHistory).ChannelId | Should -Be @(4)
        @(Get-NewApiSyncHistory -Last 2) | Should -HaveCount 13
        $runs = @(Get-NewApiSyncHistory -Run)
        $runs | Should -HaveCount 3
        $runs | ForEach-Object -Process { $_ | Should -BeOfType ([NewApiSync.Engine.Results.NewApiSyncRun]) }
        $runs[0].Mode | Should -Be 'Selected'
        $runs[0].Total | Should -Be 1
        $runs[1].Mode | Should -Be 'All'
        $runs[1].Total | Should -Be 12
        $runs[1].Failed | Should -Be 1
        $runs[1].Interrupted | Should -BeFalse
        $runs[1].Duration | Should -Not -BeNullOrEmpty
        # Synced with AutoSync on: the run says when the next one is due.
        $runs[1].NextScheduledTime | Should -Not -BeNullOrEmpty
        @(Get-NewApiSyncHistory -Run -Last 1) | Should -HaveCount 1
    }

    It 'pipes run summaries into Get-NewApiSyncHistory for their records' {
        $null = Invoke-NewApiModelSync -Id 5
        $null = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false

        @(Get-NewApiSyncHistory -Run -Kind Restore).Kind | Should -Be @('Restore')
        @(@(Get-NewApiSyncHistory -Run -Kind Sync)[1] | Get-NewApiSyncHistory) | Should -HaveCount 12
        @(Get-NewApiSyncHistory -Run -Kind Restore | Get-NewApiSyncHistory).ChannelId | Should -Be @(5)
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

    It 'reads the runs of one user with -BaseUrl -UserId, and nothing without a site' {
        $savedDataRoot = $env:NEWAPISYNC_DATA
        $url = $sbx.BaseUrl
        $sbx.Sandbox.ClearRequests()
        Disconnect-NewApi
        try {
            $env:NEWAPISYNC_DATA = $sbx.DataDirectory
            (Get-NewApiSyncHistory -BaseUrl $url -UserId 1 -Run).Total | Should -Be 12
            Get-NewApiSyncHistory -BaseUrl $url -UserId 2 | Should -BeNullOrEmpty
            { Get-NewApiSyncHistory } | Should -Throw -ErrorId 'NewApiConfigurationMissing,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
        } finally {
            $env:NEWAPISYNC_DATA = $savedDataRoot
        }

        $sbx.Sandbox.Requests.Count | Should -Be 0
    }

    It 'pipes failed records back into a sync' {
        $sbx.Sandbox.Site.SetUpstreamError(11, $null)
        $sbx.Sandbox.ClearRequests()
        $rerun = Get-NewApiSyncHistory -Status Failed | Invoke-NewApiModelSync
        $rerun.ChannelId | Should -Be 11
        $rerun.Status | Should -Be 'Succeeded'
        @($sbx.Sandbox.Requests | Where-Object { $_.Route -eq 'FetchModels' } | ForEach-Object -MemberName ChannelId) | Should -Be @(11)
    }

    It 'stops on bad input with a clear error' {
        { Get-NewApiSyncHistory -Last 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
        { Get-NewApiSyncHistory -Status Broken } | Should -Throw -ErrorId 'ParameterArgumentValidationError,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
        $malformed = { Get-NewApiSyncHistory -RunId '../settings' } | Should -Throw -ErrorId 'InvalidHistoryQuery,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand' -PassThru
        $malformed.Exception.Message | Should -BeLikeExactly '*is not a run id*'
        Get-NewApiSyncHistory -RunId 20200101T000000000Z-abcdef -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $missing | Should -HaveCount 1
        $missing[0].FullyQualifiedErrorId | Should -Be 'CannotFindRun,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
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
        $restored = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false -ErrorVariable problems
        $problems | Should -BeNullOrEmpty
        Get-StoredModelText 1 | Should -Be $SampleModelsOf1
        $restored | Should -HaveCount 12
        $restored | ForEach-Object { $_.Kind | Should -Be 'Restore' }
        ($restored | Where-Object ChannelId -eq 11).Status | Should -Be 'Skipped'
        $run = Get-NewApiSyncHistory -Run | Select-Object -First 1
        $run.Kind | Should -Be 'Restore'
        $run.Mode | Should -Be 'Selected'
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
        $writer.Complete([NewApiSync.Engine.Results.NewApiSyncRun]@{
            RunId = $header.RunId; Kind = 'Clear'; BaseUrl = $sbx.BaseUrl; UserId = 1; Mode = 'Selected'; StartedAt = $now
            Total = 1; Succeeded = 1; Changed = 1; FinishedAt = [DateTimeOffset]::UtcNow
        })
        $writer.Dispose()

        $result = Restore-NewApiChannel -RunId $header.RunId -Confirm:$false
        $sbx.Sandbox.Site.Get(9).ModelMapping | Should -BeExactly $Old
        # The clear kept the models, so the restore leaves them as the record has them.
        Get-StoredModelText 9 | Should -BeExactly ($models -join ',')
        $result.OldModelMapping | Should -BeExactly '{}'
        $result.NewModelMapping | Should -BeExactly $Old
    }

    It 'refuses a channel changed since the run, with advice, and -Force restores it' {
        $sbx.Sandbox.Site.Change(1, [Action[NewApiSync.Sandbox.SandboxChannel]] { param($c) $c.Models = 'gpt-5' }) | Out-Null
        $sbx.Sandbox.ClearRequests()
        $results = @(Get-NewApiSyncHistory -ChannelId 1, 2 | Restore-NewApiChannel -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue)
        ($results | Where-Object ChannelId -EQ 1).Status | Should -Be 'Failed'
        ($results | Where-Object ChannelId -EQ 2).Status | Should -Be 'Succeeded'
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'ChannelRestoreFailed,NewApiSync.PowerShell.Commands.RestoreNewApiChannelCommand'
        $failed[0].Exception.Message | Should -BeLikeExactly '*changed since run*'
        $failed[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-StoredModelText 1 | Should -Be 'gpt-5'
        # Only channel 2 was written.
        $sbx.Sandbox.Updates.Count | Should -Be 1

        $null = Get-NewApiSyncHistory -Kind Sync -ChannelId 1 | Restore-NewApiChannel -Force -Confirm:$false
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
        { Restore-NewApiChannel -RunId 'a/b' -Confirm:$false } | Should -Throw -ErrorId 'InvalidRunId,NewApiSync.PowerShell.Commands.RestoreNewApiChannelCommand'
        $foreign = { Get-NewApiSyncHistory | ForEach-Object { $_.BaseUrl = 'https://other.example.com'; $_ } | Restore-NewApiChannel -Confirm:$false } |
            Should -Throw -ErrorId 'HistoryRecordOfAnotherSite,NewApiSync.PowerShell.Commands.RestoreNewApiChannelCommand' -PassThru
        $foreign.Exception.Message | Should -BeLikeExactly '*https://other.example.com*'
        $sbx.Sandbox.Updates.Count | Should -Be 0
        @(Get-NewApiSyncHistory -Run) | Should -HaveCount 1
    }

    It 'restores only the channels given with -RunId and -ChannelId, and warns about unknown ones' {
        $runId = @(Get-NewApiSyncHistory -Run)[0].RunId
        $sbx.Sandbox.ClearRequests()
        $results = @(Restore-NewApiChannel $runId -ChannelId 1, 99 -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue)
        @($results.ChannelId) | Should -Be @(1)
        "$warnings" | Should -BeLike '*#99*'
        Get-StoredModelText 1 | Should -Be $SampleModelsOf1
    }

    It 'never writes a secret into the journal' {
        $null = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false
        $text = Get-ChildItem -LiteralPath $sbx.DataDirectory -Recurse -File | Get-Content -Raw | Out-String
        $text | Should -Match '"Restore"'
        $text | Should -Not -Match ([regex]::Escape($sbx.Sandbox.AccessToken))
        $text | Should -Not -Match 'sk-upstream-secret'
    }
}
