#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# New-NewApiModelRedirect, Clear-NewApiModelRedirect and Get-NewApiStandardModel against the sample sandbox.
# Channel 6 (OpenRouter) maps gpt-4o -> openai/gpt-4o:free, channel 9 (Zhipu GLM) maps glm-4 -> glm-4.5; 8 and 12 are disabled.

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:NewCmd = 'NewApiSync.PowerShell.Commands.NewNewApiModelRedirectCommand'
    $script:ClearCmd = 'NewApiSync.PowerShell.Commands.ClearNewApiModelRedirectCommand'

    function Get-SandboxMapping {
        param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [int] $Id)
        $Sandbox.Sandbox.Site.Get($Id).ModelMapping
    }
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'New-NewApiModelRedirect' {
    It 'supports -WhatIf with ConfirmImpact Medium' {
        $attribute = (Get-Command -Name New-NewApiModelRedirect).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::Medium)
    }

    Context 'Mapping standard names on one channel' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $result = New-NewApiModelRedirect -Id 2 -StandardModel 'claude-3.5-sonnet', 'claude-4-sonnet', 'claude-4.5-sonnet'
            $mapping = Get-SandboxMapping -Sandbox $sbx -Id 2 | ConvertFrom-Json
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'writes one Updated result' {
            @($result) | Should -HaveCount 1
            $result | Should -BeOfType ([NewApiSync.Engine.Results.NewApiModelRedirectResult])
            $result.Status | Should -Be 'Updated'
        }

        It 'maps <Standard> to <Actual>' -TestCases @(
            @{ Standard = 'claude-3.5-sonnet'; Actual = 'claude-3-5-sonnet-20241022' }
            @{ Standard = 'claude-4-sonnet'; Actual = 'claude-sonnet-4-20250514' }
        ) {
            $mapping.$Standard | Should -BeExactly $Actual
            $result.Added[$Standard] | Should -BeExactly $Actual
            Get-SandboxModel -Sandbox $sbx -Id 2 | Should -Contain $Standard
        }

        It 'never maps across versions' {
            $mapping.PSObject.Properties.Name | Should -Not -Contain 'claude-4.5-sonnet'
            $result.Unmatched['claude-4.5-sonnet'] | Should -Be 'NoCandidate'
        }

        It 'writes id, models and model_mapping (as a JSON string) in one request' {
            $sbx.Sandbox.Updates.Count | Should -Be 1
            $body = @($sbx.Sandbox.Updates)[0].Body | ConvertFrom-Json
            @($body.PSObject.Properties.Name) | Should -Be @('id', 'models', 'model_mapping')
            $body.model_mapping | Should -BeOfType ([string])
        }

        It 'journals the run as a Redirect run' {
            $runs = Get-NewApiTestRun -Sandbox $sbx
            $runs | Should -HaveCount 1
            $runs[0].Kind | Should -Be 'Redirect'
        }
    }

    Context 'Merging with what is there' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'changes nothing when the channel already routes the name' {
            $result = New-NewApiModelRedirect -Id 6 -StandardModel gpt-4o
            $result.Status | Should -Be 'Unchanged'
            $sbx.Sandbox.Updates.Count | Should -Be 0
        }

        It 'keeps the existing entries' {
            $null = New-NewApiModelRedirect -Id 9 -StandardModel 'glm-4.6', 'glm-4.5'
            (Get-SandboxMapping -Sandbox $sbx -Id 9 | ConvertFrom-Json).'glm-4' | Should -BeExactly 'glm-4.5'
        }
    }

    Context 'Disabled channels' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $results = @(New-NewApiModelRedirect -StandardModel 'gpt-4o-mini')
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'gives every channel a result when no channel is given' {
            $results | Should -HaveCount 12
        }

        It 'skips disabled channel <Id> and says how to include it' -TestCases @(
            @{ Id = 8 }
            @{ Id = 12 }
        ) {
            $skipped = $results | Where-Object { $_.ChannelId -eq $Id }
            $skipped.Status | Should -Be 'Skipped'
            $skipped.Reason | Should -Match '-IncludeDisabled'
        }

        It 'plans disabled channels with -IncludeDisabled' {
            $preview = @(New-NewApiModelRedirect -StandardModel 'gpt-4o-mini' -IncludeDisabled -WhatIf)
            ($preview | Where-Object { $_.ChannelId -eq 8 }).Status | Should -Not -Be 'Skipped'
        }
    }

    Context 'An invalid existing mapping' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $null = $sbx.Sandbox.Site.Change(2, [Action[NewApiSync.Sandbox.SandboxChannel]] { param($c) $c.ModelMapping = '{broken' })
            $results = @(New-NewApiModelRedirect -Id 2, 4 -StandardModel 'claude-4-sonnet', 'deepseek-chat' -ErrorVariable redirectErrors -ErrorAction SilentlyContinue)
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'fails that channel with InvalidExistingMapping and writes nothing to it' {
            $failed = $results | Where-Object { $_.ChannelId -eq 2 }
            $failed.Status | Should -Be 'Failed'
            $failed.ErrorKind | Should -Be 'InvalidExistingMapping'
            Get-SandboxMapping -Sandbox $sbx -Id 2 | Should -BeExactly '{broken'
            $results | Should -HaveCount 2
        }

        It 'reports one non-terminating ChannelRedirectFailed error that suggests -Force' {
            $redirectErrors | Should -HaveCount 1
            $redirectErrors[0].FullyQualifiedErrorId | Should -BeExactly "ChannelRedirectFailed,$NewCmd"
            $redirectErrors[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
            $redirectErrors[0].TargetObject.ChannelId | Should -Be 2
        }

        It 'replaces the mapping with -Force' {
            $null = New-NewApiModelRedirect -Id 2 -StandardModel 'claude-4-sonnet' -Force
            (Get-SandboxMapping -Sandbox $sbx -Id 2 | ConvertFrom-Json).'claude-4-sonnet' | Should -BeExactly 'claude-sonnet-4-20250514'
        }

        It 'journals the text it replaced, so -Force can be undone' {
            $record = @(Get-NewApiSyncHistory -Kind Redirect -ChannelId 2)
            $record | Should -HaveCount 1
            $record[0].Kind | Should -Be 'Redirect'
            $record[0].Status | Should -Be 'Succeeded'
            $record[0].OldModelMapping | Should -BeExactly '{broken'
        }
    }

    Context '-WhatIf' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $preview = Get-NewApiChannel -Id 2 | New-NewApiModelRedirect -StandardModel 'claude-4-sonnet', 'claude-4.5-sonnet' -WhatIf
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'writes nothing and leaves no journal' {
            $sbx.Sandbox.Updates.Count | Should -Be 0
            Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
            Get-SandboxModel -Sandbox $sbx -Id 2 | Should -Not -Contain 'claude-4-sonnet'
        }

        It 'shows the planned entries and unmatched names' {
            $preview.Status | Should -Be 'Updated'
            $preview.Changed | Should -BeTrue
            $preview.WhatIf | Should -BeTrue
            $preview.Added['claude-4-sonnet'] | Should -BeExactly 'claude-sonnet-4-20250514'
            $preview.Unmatched['claude-4.5-sonnet'] | Should -Be 'NoCandidate'
            $preview.NewModelMapping | Should -Match 'claude-4-sonnet'
        }
    }

    Context 'Invalid standard names' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'refuses <Name> with <ErrorId> before any request' -TestCases @(
            @{ Name = 'a blank name'; StandardModel = @(' '); ErrorId = 'InvalidStandardModel' }
            @{ Name = 'a bare prefix'; StandardModel = @('openai/'); ErrorId = 'InvalidStandardModel' }
            @{ Name = 'an empty string'; StandardModel = @('gpt-4o', ''); ErrorId = 'ParameterArgumentValidationError' }
            @{ Name = 'a name given twice'; StandardModel = @('gpt-4o', 'GPT-4o'); ErrorId = 'InvalidStandardModel' }
        ) {
            $sbx.Sandbox.ClearRequests()
            $errorRecord = Get-TerminatingError { New-NewApiModelRedirect -StandardModel $StandardModel }
            $errorRecord.FullyQualifiedErrorId | Should -BeExactly "$ErrorId,$NewCmd"
            $sbx.Sandbox.Requests.Count | Should -Be 0
        }
    }

    Context 'Redirect after sync' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            Set-NewApiSyncSetting -StandardModels 'claude-4.5-sonnet', 'claude-4.5-haiku'
            $result = Invoke-NewApiModelSync -Id 2 -RedirectAfterSync
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'writes the models and the mapping in one request' {
            $sbx.Sandbox.Updates.Count | Should -Be 1
            Get-SandboxModel -Sandbox $sbx -Id 2 | Should -Contain 'claude-4.5-sonnet'
            Get-SandboxModel -Sandbox $sbx -Id 2 | Should -Contain 'claude-sonnet-4-5-20250929'
            (Get-SandboxMapping -Sandbox $sbx -Id 2 | ConvertFrom-Json).'claude-4.5-haiku' | Should -BeExactly 'claude-haiku-4-5-20251001'
        }

        It 'reports the mapping in the sync result' {
            $result.NewModelMapping | Should -BeExactly (Get-SandboxMapping -Sandbox $sbx -Id 2)
            $result.OldModelMapping | Should -BeExactly ''
        }
    }
}

Describe 'Clear-NewApiModelRedirect' {
    It 'asks before each write: ConfirmImpact is High' {
        $attribute = (Get-Command -Name Clear-NewApiModelRedirect).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }

    Context '-WhatIf' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $results = @(Clear-NewApiModelRedirect -WhatIf)
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'plans every channel, disabled ones included, and writes nothing' {
            $results | Should -HaveCount 12
            $sbx.Sandbox.Updates.Count | Should -Be 0
            Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
            Get-SandboxMapping -Sandbox $sbx -Id 6 | Should -BeExactly '{"gpt-4o":"openai/gpt-4o:free"}'
        }

        It 'skips channels that have no mapping' {
            ($results | Where-Object { $_.ChannelId -eq 4 }).Reason | Should -Match 'no model mapping'
        }
    }

    Context 'Clearing without prompts' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $results = @(Clear-NewApiModelRedirect -Id 6, 4 -Confirm:$false)
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'empties the mapping and removes the alias it served from models' {
            $cleared = $results | Where-Object { $_.ChannelId -eq 6 }
            $cleared.Status | Should -Be 'Cleared'
            $cleared.RemovedModels | Should -Be @('gpt-4o')
            $cleared.MappingKeysRemoved | Should -Be @('gpt-4o')
            Get-SandboxMapping -Sandbox $sbx -Id 6 | Should -BeExactly '{}'
            Get-SandboxModel -Sandbox $sbx -Id 6 | Should -Be @('openai/gpt-4o:free')
        }

        It 'skips a channel without a mapping and does not write it' {
            ($results | Where-Object { $_.ChannelId -eq 4 }).Status | Should -Be 'Skipped'
            @($sbx.Sandbox.Updates | Where-Object { $_.Body -match '"id":4\b' }) | Should -HaveCount 0
        }

        It 'keeps the models with -KeepModels' {
            $result = Clear-NewApiModelRedirect -Id 9 -KeepModels -Confirm:$false
            $result.Status | Should -Be 'Cleared'
            Get-SandboxMapping -Sandbox $sbx -Id 9 | Should -BeExactly '{}'
            Get-SandboxModel -Sandbox $sbx -Id 9 | Should -Be @('glm-4.5', 'glm-4')
        }

        It 'journals the run as a Clear run' {
            @(Get-NewApiTestRun -Sandbox $sbx | Where-Object { $_.Kind -eq 'Clear' }) | Should -HaveCount 2
        }
    }

    Context 'A channel that fails' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $null = $sbx.Sandbox.Faults.FailNext('UpdateChannel', 'SuccessFalse', 5, 9)
            $results = @(Clear-NewApiModelRedirect -Id 9, 6, 4 -KeepModels -Confirm:$false -ErrorVariable clearErrors -ErrorAction SilentlyContinue)
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'gives channel <Id> the status <Status>' -TestCases @(
            @{ Id = 9; Status = 'Failed' }
            @{ Id = 6; Status = 'Cleared' }
            @{ Id = 4; Status = 'Skipped' }
        ) {
            ($results | Where-Object { $_.ChannelId -eq $Id }).Status | Should -Be $Status
        }

        It 'gives every channel asked for a result' {
            $results | Should -HaveCount 3
        }

        It 'does not write the channel without a mapping' {
            @($sbx.Sandbox.Updates | Where-Object { $_.Body -match '"id":4\b' }) | Should -HaveCount 0
        }

        It 'reports one non-terminating ChannelClearFailed error and keeps going' {
            $clearErrors | Should -HaveCount 1
            $clearErrors[0].FullyQualifiedErrorId | Should -BeExactly "ChannelClearFailed,$ClearCmd"
            $clearErrors[0].TargetObject.ChannelId | Should -Be 9
            Get-SandboxModel -Sandbox $sbx -Id 6 | Should -Contain 'gpt-4o'
        }
    }
}

Describe 'Get-NewApiStandardModel' {
    BeforeAll {
        $all = @(Get-NewApiStandardModel)
    }

    It 'lists the built-in names of seven vendors' {
        $all | Should -Not -BeNullOrEmpty
        $all | ForEach-Object { $_ | Should -BeOfType ([NewApiSync.Engine.Redirect.StandardModel]) }
        @($all.Vendor | Sort-Object -Unique) | Should -Be @('Anthropic', 'DeepSeek', 'GLM', 'Google', 'Mistral', 'OpenAI', 'Qwen')
        @($all.Name | Sort-Object -Unique) | Should -HaveCount $all.Count
    }

    It 'filters with <Filter>' -TestCases @(
        @{ Filter = '-Vendor Anthropic'; Arguments = @{ Vendor = 'Anthropic' }; Prefix = 'claude-' }
        @{ Filter = '-Name gpt-4*'; Arguments = @{ Name = 'gpt-4*' }; Prefix = 'gpt-4' }
        @{ Filter = '-Vendor g*'; Arguments = @{ Vendor = 'g*' }; Prefix = '' }
    ) {
        $models = @(Get-NewApiStandardModel @Arguments)
        $models | Should -Not -BeNullOrEmpty
        $models.Count | Should -BeLessThan $all.Count
        $models | ForEach-Object { $_.Name | Should -BeLike "$Prefix*" }
    }

    It 'takes the name, or a wildcard, by position' {
        @(Get-NewApiStandardModel 'gpt-4o').Name | Should -Be @('gpt-4o')
        $models = @(Get-NewApiStandardModel 'gpt-4*')
        $models | Should -Not -BeNullOrEmpty
        $models.Count | Should -BeLessThan $all.Count
        $models | ForEach-Object -Process { $_.Name | Should -BeLike 'gpt-4*' }
    }

    It 'writes nothing, and no error, when nothing matches' {
        @(Get-NewApiStandardModel -Name 'no-such-model*' -ErrorVariable errors) | Should -HaveCount 0
        $errors | Should -HaveCount 0
    }

    It 'contains no dated standard name' {
        $all.Name | Where-Object { $_ -match '-\d{8}$|-\d{4}-\d{2}-\d{2}$' } | Should -BeNullOrEmpty
    }
}
