#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-NewApiSyncSetting and Set-NewApiSyncSetting. Each sandbox keeps its settings in its own data folder, so these
# tests never touch the user's settings.

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:SetCmd = 'NewApiSync.PowerShell.Commands.SetNewApiSyncSettingCommand'
    $script:GetCmd = 'NewApiSync.PowerShell.Commands.GetNewApiSyncSettingCommand'
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Get-NewApiSyncSetting' {
    Context 'Nothing saved yet' {
        BeforeAll {
            # A site with nothing saved: the sandbox seeds fast settings for itself, so its file goes first.
            $sbx = Start-NewApiSandbox
            Remove-Item -LiteralPath (Join-Path -Path $sbx.DataDirectory -ChildPath 'settings.json')
            $settings = Get-NewApiSyncSetting
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'writes one SyncSettings object' {
            @($settings) | Should -HaveCount 1
            $settings | Should -BeOfType ([NewApiSync.Engine.Settings.SyncSettings])
            Test-Path -LiteralPath (Join-Path -Path $sbx.DataDirectory -ChildPath 'settings.json') | Should -BeFalse
        }

        It 'shows the default <Name> = <Expected>' -TestCases @(
            @{ Name = 'AutoSync'; Expected = $false }
            @{ Name = 'Interval'; Expected = [TimeSpan]::FromHours(6) }
            @{ Name = 'Concurrency'; Expected = 2 }
            @{ Name = 'MaxRetries'; Expected = 3 }
            @{ Name = 'RequestsPerMinute'; Expected = 20 }
            @{ Name = 'Burst'; Expected = 5 }
            @{ Name = 'ChannelTimeoutSec'; Expected = 0 }
            @{ Name = 'RedirectAfterSync'; Expected = $false }
            @{ Name = 'PruneMissingTargets'; Expected = $false }
            @{ Name = 'HistoryRetention'; Expected = 200 }
        ) {
            $settings.$Name | Should -Be $Expected
        }

        It 'has empty model lists by default' {
            $settings.IncludeModel | Should -HaveCount 0
            $settings.ExcludeModel | Should -HaveCount 0
            $settings.StandardModels | Should -HaveCount 0
        }

        It 'reads the same settings through -Connection' {
            (Get-NewApiSyncSetting -Connection $sbx).Interval | Should -Be $settings.Interval
        }
    }

    Context 'A damaged settings file' {
        BeforeAll {
            $sbx = Start-NewApiSandbox
            $settingsFile = Join-Path -Path $sbx.DataDirectory -ChildPath 'settings.json'
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'stops Get- and Set- with SettingsFileInvalid when the file is <Name>' -TestCases @(
            @{ Name = 'not JSON'; Content = 'this is not json' }
            @{ Name = 'out of range'; Content = '{ "concurrency": 99 }' }
        ) {
            Set-Content -LiteralPath $settingsFile -Value $Content -Encoding ASCII

            $errorRecord = Get-TerminatingError { Get-NewApiSyncSetting }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "SettingsFileInvalid,$GetCmd"
            $errorRecord.CategoryInfo.Category | Should -Be 'InvalidData'
            $errorRecord.TargetObject | Should -BeLike '*settings.json'

            (Get-TerminatingError { Set-NewApiSyncSetting -Concurrency 2 }).FullyQualifiedErrorId | Should -BeExactly "SettingsFileInvalid,$SetCmd"
        }

        It 'names the file and recommends -Reset' {
            Set-Content -LiteralPath $settingsFile -Value '{ oops' -Encoding ASCII

            $errorRecord = Get-TerminatingError { Get-NewApiSyncSetting }
            $errorRecord.Exception.Message | Should -BeLike '*settings.json*'
            $errorRecord.ErrorDetails.RecommendedAction | Should -BeLike '*-Reset*'
        }

        It 'stops a sync, even a -WhatIf preview, before it starts' {
            Set-Content -LiteralPath $settingsFile -Value '{ oops' -Encoding ASCII
            (Get-TerminatingError { Invoke-NewApiModelSync -WhatIf }).FullyQualifiedErrorId | Should -BeExactly 'SettingsFileInvalid,NewApiSync.PowerShell.Commands.InvokeNewApiModelSyncCommand'
        }

        It 'is replaced by Set-NewApiSyncSetting -Reset: the defaults plus the values given' {
            Set-Content -LiteralPath $settingsFile -Value '{ oops' -Encoding ASCII
            Set-NewApiSyncSetting -Reset -Concurrency 3
            (Get-NewApiSyncSetting).Concurrency | Should -Be 3
            (Get-NewApiSyncSetting).RequestsPerMinute | Should -Be 20
        }

        It 'returns to the defaults once the file is deleted' {
            Remove-Item -LiteralPath $settingsFile
            (Get-NewApiSyncSetting).Concurrency | Should -Be 2
        }
    }
}

Describe 'Set-NewApiSyncSetting' {
    It 'supports -WhatIf with ConfirmImpact Medium' {
        $attribute = (Get-Command -Name Set-NewApiSyncSetting).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::Medium)
    }

    Context 'Round trip' {
        BeforeAll {
            $sbx = Start-NewApiSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'saves only the values given and returns them with -PassThru' {
            $before = Get-NewApiSyncSetting
            $saved = Set-NewApiSyncSetting -Concurrency 3 -Interval '12:00:00' -IncludeModel 'gpt-*' -PassThru

            $saved.Concurrency | Should -Be 3
            $reread = Get-NewApiSyncSetting
            $reread.Concurrency | Should -Be 3
            $reread.Interval | Should -Be ([TimeSpan]::FromHours(12))
            $reread.IncludeModel | Should -Be @('gpt-*')
            $reread.MaxRetries | Should -Be $before.MaxRetries
            $reread.Burst | Should -Be $before.Burst
            $reread.RequestsPerMinute | Should -Be $before.RequestsPerMinute
        }

        It 'writes nothing without -PassThru' {
            @(Set-NewApiSyncSetting -Burst 6) | Should -HaveCount 0
            (Get-NewApiSyncSetting).Burst | Should -Be 6
        }

        It 'saves a piped settings object, with parameters winning over its values' {
            $settings = Get-NewApiSyncSetting
            $settings.MaxRetries = 5
            $saved = $settings | Set-NewApiSyncSetting -Burst 7 -PassThru

            $saved.MaxRetries | Should -Be 5
            $saved.Burst | Should -Be 7
            $saved.Concurrency | Should -Be 3
            (Get-NewApiSyncSetting).MaxRetries | Should -Be 5
        }

        It 'saves <Name> as <Value>' -TestCases @(
            @{ Name = 'AutoSync'; Value = $true }
            @{ Name = 'RedirectAfterSync'; Value = $true }
            @{ Name = 'PruneMissingTargets'; Value = $true }
            @{ Name = 'ChannelTimeoutSec'; Value = 120 }
            @{ Name = 'HistoryRetention'; Value = 50 }
            @{ Name = 'RequestsPerMinute'; Value = 30 }
        ) {
            $arguments = @{ $Name = $Value }
            Set-NewApiSyncSetting @arguments
            (Get-NewApiSyncSetting).$Name | Should -Be $Value
        }

        It 'clears a list with an empty array' {
            Set-NewApiSyncSetting -StandardModels 'gpt-4o', 'claude-4.5-sonnet'
            (Get-NewApiSyncSetting).StandardModels | Should -Be @('gpt-4o', 'claude-4.5-sonnet')

            Set-NewApiSyncSetting -IncludeModel @() -StandardModels @()
            (Get-NewApiSyncSetting).IncludeModel | Should -HaveCount 0
            (Get-NewApiSyncSetting).StandardModels | Should -HaveCount 0
        }

        It 'never writes the access token to the settings file' {
            $content = Get-Content -LiteralPath (Join-Path -Path $sbx.DataDirectory -ChildPath 'settings.json') -Raw
            $content | Should -Not -BeNullOrEmpty
            $content | Should -Not -Match ([regex]::Escape($sbx.Sandbox.AccessToken))
        }
    }

    Context 'Validation' {
        BeforeAll {
            $sbx = Start-NewApiSandbox
            Set-NewApiSyncSetting -Interval '12:00:00' -Concurrency 3
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'refuses <Name> with InvalidSyncSetting and saves nothing' -TestCases @(
            @{ Name = 'an Interval under 5 minutes'; Arguments = @{ Interval = [TimeSpan]::FromMinutes(1) }; Mentions = 'Interval' }
            @{ Name = 'an Interval over 30 days'; Arguments = @{ Interval = [TimeSpan]::FromDays(31) }; Mentions = 'Interval' }
            @{ Name = 'a blank standard name'; Arguments = @{ StandardModels = @(' ') }; Mentions = 'StandardModels' }
            @{ Name = 'an empty include pattern'; Arguments = @{ IncludeModel = @('gpt-*', '') }; Mentions = 'IncludeModel' }
            @{ Name = 'a blank exclude pattern'; Arguments = @{ ExcludeModel = @(' ') }; Mentions = 'ExcludeModel' }
            @{ Name = 'an include pattern that is not a wildcard'; Arguments = @{ IncludeModel = @('gpt-[4') }; Mentions = 'IncludeModel' }
            @{ Name = 'a standard name given twice'; Arguments = @{ StandardModels = @('gpt-4o', 'GPT-4o') }; Mentions = 'more than once' }
            @{ Name = 'an empty standard name among others'; Arguments = @{ StandardModels = @('gpt-4o', ' ') }; Mentions = 'empty' }
        ) {
            $errorRecord = Get-TerminatingError { Set-NewApiSyncSetting @Arguments -Concurrency 4 }

            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "InvalidSyncSetting,$SetCmd"
            $errorRecord.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errorRecord.Exception.Message | Should -Match $Mentions
            $saved = Get-NewApiSyncSetting
            $saved.Interval | Should -Be ([TimeSpan]::FromHours(12))
            $saved.Concurrency | Should -Be 3
        }

        It 'refuses -<Name> <Value> out of range when binding' -TestCases @(
            @{ Name = 'Concurrency'; Value = 0 }
            @{ Name = 'Concurrency'; Value = 33 }
            @{ Name = 'MaxRetries'; Value = 11 }
            @{ Name = 'RequestsPerMinute'; Value = 0 }
            @{ Name = 'Burst'; Value = 1001 }
            @{ Name = 'ChannelTimeoutSec'; Value = 3601 }
            @{ Name = 'HistoryRetention'; Value = 0 }
        ) {
            $arguments = @{ $Name = $Value }
            $errorRecord = Get-TerminatingError { Set-NewApiSyncSetting @arguments }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "ParameterArgumentValidationError,$SetCmd"
            (Get-NewApiSyncSetting).Concurrency | Should -Be 3
        }

        It 'saves an interval outside the recommended 1 to 24 hours with a warning' {
            Set-NewApiSyncSetting -Interval '00:30:00' -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -Match 'shorter than the recommended'
            (Get-NewApiSyncSetting).Interval | Should -Be ([TimeSpan]::FromMinutes(30))

            Set-NewApiSyncSetting -Interval '2.00:00:00' -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -Match 'longer than the recommended'
            Set-NewApiSyncSetting -Interval '12:00:00'
        }
    }

    Context '-WhatIf' {
        BeforeAll {
            $sbx = Start-NewApiSandbox
            $settingsFile = Join-Path -Path $sbx.DataDirectory -ChildPath 'settings.json'
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'leaves the settings file as it was and changes nothing' {
            $before = Get-Content -LiteralPath $settingsFile -Raw
            Set-NewApiSyncSetting -Concurrency 5 -AutoSync $true -WhatIf
            Get-Content -LiteralPath $settingsFile -Raw | Should -BeExactly $before
            (Get-NewApiSyncSetting).Concurrency | Should -Be 2
            (Get-NewApiSyncSetting).AutoSync | Should -BeFalse
        }

        It 'writes no file where none was saved' {
            Remove-Item -LiteralPath $settingsFile
            Set-NewApiSyncSetting -Concurrency 5 -WhatIf
            Test-Path -LiteralPath $settingsFile | Should -BeFalse
        }

        It 'returns nothing even with -PassThru' {
            @(Set-NewApiSyncSetting -Concurrency 5 -PassThru -WhatIf) | Should -HaveCount 0
        }

        It 'still validates' {
            (Get-TerminatingError { Set-NewApiSyncSetting -Interval '00:01:00' -WhatIf }).FullyQualifiedErrorId | Should -BeExactly "InvalidSyncSetting,$SetCmd"
        }
    }

    Context 'Saved settings drive the sync' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'applies the saved IncludeModel filter when the sync is given none' {
            Set-NewApiSyncSetting -IncludeModel 'gpt-*'
            $result = Invoke-NewApiModelSync -Id 1

            $result.Status | Should -Be 'Succeeded'
            Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Not -Contain 'o3'
            Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Contain 'gpt-5'
        }

        It 'lets a parameter win over the saved filter' {
            $result = Invoke-NewApiModelSync -Id 1 -IncludeModel '*'
            $result.Status | Should -Be 'Succeeded'
            Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Contain 'o3'
        }
    }
}
