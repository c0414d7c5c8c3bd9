#Requires -Version 7.4
# Pester 5 tests of the sync policies against the sample sandbox: SyncMode AddOnly and pending removals, KeepModel,
# ExcludeChannel and SkipDisabledChannels, New API's own upstream update settings (channel 10 ignores codestral-latest
# and regex:^mistral-medium-\d+$), failure streaks and healthy-first scheduling (channel 11's upstream refuses).

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Sync policies' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    Context 'SyncMode AddOnly' {
        It 'adds new models, removes none, and reports the removals as PendingRemovals' {
            $result = Invoke-NewApiModelSync -Id 1 -SyncMode AddOnly
            $result.PendingRemovals | Should -Be @('gpt-4-turbo')
            $result.RemovedModels | Should -BeNullOrEmpty
            Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Contain 'gpt-4-turbo'
            Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Contain 'gpt-5'
        }

        It 'lets Get-NewApiSyncHistory -PendingRemovals find them, and -SyncMode Replace apply them' {
            $null = Invoke-NewApiModelSync -SyncMode AddOnly -ErrorAction SilentlyContinue
            $pending = @(Get-NewApiSyncHistory -PendingRemovals)
            $pending.ChannelId | Should -Be @(1, 2, 3, 5, 8)
            ($pending | Where-Object ChannelId -EQ 2).PendingRemovals | Should -Be @('claude-3-5-sonnet-20241022')

            $applied = Get-NewApiSyncHistory -PendingRemovals -ChannelId 2 | Invoke-NewApiModelSync -SyncMode Replace
            $applied.RemovedModels | Should -Be @('claude-3-5-sonnet-20241022')
            @(Get-NewApiSyncHistory -PendingRemovals).ChannelId | Should -Be @(1, 3, 5, 8)
        }

        It 'is a setting, saved by name, that a sync uses when no parameter is given' {
            Set-NewApiSyncSetting -SyncMode AddOnly
            (Get-NewApiSyncSetting).SyncMode | Should -Be 'AddOnly'
            $result = Invoke-NewApiModelSync -Id 3
            $result.PendingRemovals | Should -Be @('gemini-1.5-pro')
            (Invoke-NewApiModelSync -Id 3 -SyncMode Replace).RemovedModels | Should -Be @('gemini-1.5-pro')
        }

        It 'refuses a mode that does not exist before anything is sent' {
            { Invoke-NewApiModelSync -SyncMode Mirror } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,NewApiSync.PowerShell.Commands.InvokeNewApiModelSyncCommand'
            $sbx.Sandbox.Requests | Should -HaveCount 0
        }
    }

    Context 'KeepModel' {
        It 'never removes a protected model, even one the upstream dropped' {
            $result = Invoke-NewApiModelSync -Id 1 -KeepModel 'GPT-4-*'
            $result.ProtectedModels | Should -Be @('gpt-4-turbo')
            Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Contain 'gpt-4-turbo'
        }

        It 'keeps a protected model that -ExcludeModel filters out' {
            $null = Invoke-NewApiModelSync -Id 4 -ExcludeModel 'deepseek-chat' -KeepModel 'deepseek-chat'
            Get-SandboxModel -Sandbox $sbx -Id 4 | Should -Be @('deepseek-reasoner', 'deepseek-chat')
        }

        It 'refuses a malformed pattern with InvalidModelPattern' {
            { Invoke-NewApiModelSync -KeepModel '[abc' } | Should -Throw -ErrorId 'InvalidModelPattern,NewApiSync.PowerShell.Commands.InvokeNewApiModelSyncCommand'
            { Set-NewApiSyncSetting -KeepModel '[abc' } | Should -Throw -ErrorId 'InvalidSyncSetting,NewApiSync.PowerShell.Commands.SetNewApiSyncSettingCommand'
        }
    }

    Context 'ExcludeChannel and SkipDisabledChannels' {
        It 'skips excluded channels with the reason, never fetches them and never fails them' {
            $results = @(Invoke-NewApiModelSync -ExcludeChannel 11, 'tag:cn', '*openrouter*' -SkipDisabledChannels -ErrorVariable failures)
            $failures | Should -HaveCount 0
            $skipped = @($results | Where-Object Status -EQ 'Skipped')
            @($skipped.ChannelId | Sort-Object) | Should -Be @(5, 6, 7, 8, 9, 11, 12)
            ($skipped | Where-Object ChannelId -EQ 7).Reason | Should -Match "tag:cn"
            ($skipped | Where-Object ChannelId -EQ 12).Reason | Should -Match 'disabled'
            $fetched = @($sbx.Sandbox.Requests | Where-Object Route -EQ 'FetchModels' | ForEach-Object { [int]($_.Path -split '/')[-1] })
            $fetched | Should -Contain 1
            $fetched | Should -Not -Contain 11
            $fetched | Should -Not -Contain 6
        }

        It 'uses the saved exclusions on scheduled runs, and -ExcludeChannel @() lifts them for one run' {
            Set-NewApiSyncSetting -ExcludeChannel 11 -SkipDisabledChannels $true
            (Get-NewApiSyncSetting).ExcludeChannel | Should -Be @('11')
            $results = @(Invoke-NewApiModelSync)
            ($results | Where-Object ChannelId -EQ 11).Status | Should -Be 'Skipped'
            ($results | Where-Object ChannelId -EQ 8).Status | Should -Be 'Skipped'

            $again = Invoke-NewApiModelSync -Id 11 -ExcludeChannel @() -ErrorAction SilentlyContinue
            $again.Status | Should -Be 'Failed'
        }

        It 'completes channel names for -ExcludeChannel' {
            foreach ($line in 'Invoke-NewApiModelSync -ExcludeChannel Azure', 'Set-NewApiSyncSetting -ExcludeChannel Azure') {
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain "'Azure East US (paused)'"
            }
        }

        It 'refuses an entry it cannot use with InvalidChannelExclusion' {
            { Invoke-NewApiModelSync -ExcludeChannel 'tag:' } | Should -Throw -ErrorId 'InvalidChannelExclusion,NewApiSync.PowerShell.Commands.InvokeNewApiModelSyncCommand'
            $sbx.Sandbox.Requests | Should -HaveCount 0
        }
    }

    Context "New API's own upstream update settings" {
        It 'shows whether the server checks and auto-syncs each channel' {
            $mistral = Get-NewApiChannel -Id 10
            $mistral.UpstreamCheck | Should -BeTrue
            $mistral.UpstreamAutoSync | Should -BeTrue
            $mistral.UpstreamIgnoredModels | Should -Be @('codestral-latest', 'regex:^mistral-medium-\d+$')
            (Get-NewApiChannel -Id 3).UpstreamCheck | Should -BeFalse
            (Get-NewApiChannel -Id 1).UpstreamCheck | Should -BeNullOrEmpty
            (Get-NewApiChannel -Id 10 | Out-String -Width 200) | Should -Match 'check\+auto'
        }

        It 'never adds an ignored model and never writes settings' {
            $before = $sbx.Sandbox.Site.Get(10).Settings
            $result = Invoke-NewApiModelSync -Id 10
            $result.IgnoredModels | Should -Be @('mistral-medium-2508', 'codestral-latest')
            Get-SandboxModel -Sandbox $sbx -Id 10 | Should -Be @('mistral-large-latest', 'mistral-small-latest')
            $sbx.Sandbox.Site.Get(10).Settings | Should -BeExactly $before
            foreach ($update in $sbx.Sandbox.Updates) {
                @(($update.Body | ConvertFrom-Json).PSObject.Properties.Name) | Should -Be @('id', 'models')
            }
        }
    }

    Context 'Failing channels' {
        It 'counts how many runs in a row a channel failed, since when, and lists it with -Failing' {
            $first = Invoke-NewApiModelSync -Id 11 -ErrorAction SilentlyContinue
            $first.ConsecutiveFailures | Should -Be 1
            $null = Invoke-NewApiModelSync -Id 4
            $second = Invoke-NewApiModelSync -Id 11 -ErrorAction SilentlyContinue
            $second.ConsecutiveFailures | Should -Be 2
            $second.FailingSince | Should -Be $first.StartedAt

            $failing = @(Get-NewApiSyncHistory -Failing)
            $failing.ChannelId | Should -Be @(11)
            $failing[0].ConsecutiveFailures | Should -Be 2

            $sbx.Sandbox.Site.SetUpstreamError(11, $null)
            (Invoke-NewApiModelSync -Id 11).ConsecutiveFailures | Should -Be 0
            Get-NewApiSyncHistory -Failing | Should -BeNullOrEmpty
        }

        It 'schedules the channels that failed last time after the healthy ones' {
            $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
            $results = @(Invoke-NewApiModelSync -Concurrency 1 -ErrorAction SilentlyContinue)
            $results[-1].ChannelId | Should -Be 11
        }

        It 'refuses -Failing with a run filter' {
            { Get-NewApiSyncHistory -Failing -Last 2 } | Should -Throw -ErrorId 'InvalidHistoryQuery,NewApiSync.PowerShell.Commands.GetNewApiSyncHistoryCommand'
        }
    }
}
