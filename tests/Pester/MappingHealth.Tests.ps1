#Requires -Version 7.4
# Pester 5 tests of Test-NewApiModelRedirect against the sample sandbox (channel 9 maps glm-4 to glm-4.5, which crosses
# versions; the tests give channel 6 a broken mapping of their own).

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:Cmd = 'NewApiSync.PowerShell.Commands.TestNewApiModelRedirectCommand'
    $script:BrokenMapping = '{"gpt-4o":"openai/gpt-4o:free","ghost":"openai/gpt-4o:free","a":"b","b":"a","x":"gpt-4o","gone":"openai/gpt-3.5:free"}'
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Test-NewApiModelRedirect' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        $null = $sbx.Sandbox.Site.Change(6, [System.Action[NewApiSync.Sandbox.SandboxChannel]] {
                param($channel)
                $channel.ModelMapping = $script:BrokenMapping
                $channel.Models = 'openai/gpt-4o:free,gpt-4o,x,a,gone'
            })
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    It 'is exported with ConfirmImpact High and documented' {
        $command = Get-Command -Name Test-NewApiModelRedirect
        $attribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
        (Get-Help -Name Test-NewApiModelRedirect).Synopsis | Should -Not -BeNullOrEmpty
    }

    It 'writes one object and one ModelRedirectProblem error per problem, and changes nothing' {
        $problems = @(Test-NewApiModelRedirect -ErrorVariable problemErrors -ErrorAction SilentlyContinue | Sort-Object -Property ChannelId -Stable)
        $problems | ForEach-Object { $_ | Should -BeOfType ([NewApiSync.Engine.Results.NewApiModelRedirectProblem]) }
        @($problems | ForEach-Object { '{0}:{1}:{2}' -f $_.ChannelId, $_.Key, $_.Kind }) | Should -Be @(
            '6:ghost:KeyNotListed', '6:a:Cycle', '6:b:Cycle', '6:x:Chain', '6:gone:TargetNotListed', '9:glm-4:CrossesVersion')
        $problemErrors | Should -HaveCount $problems.Count
        $problemErrors[0].FullyQualifiedErrorId | Should -BeExactly "ModelRedirectProblem,$Cmd"
        # Channels finish in any order, so the errors are compared as a set: one per problem object, each targeting it.
        @($problemErrors | ForEach-Object { '{0}:{1}' -f $_.TargetObject.ChannelId, $_.TargetObject.Key } | Sort-Object) |
            Should -Be @($problems | ForEach-Object { '{0}:{1}' -f $_.ChannelId, $_.Key } | Sort-Object)
        $sbx.Sandbox.Updates | Should -HaveCount 0
        Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
    }

    It 'checks only the channels given by -Id or the pipeline' {
        @(Test-NewApiModelRedirect -Id 9 -ErrorAction SilentlyContinue).ChannelId | Should -Be @(9)
        @(Get-NewApiChannel -Id 1, 2 | Test-NewApiModelRedirect) | Should -HaveCount 0
    }

    It 'flags targets the upstream no longer serves with -Upstream' {
        $sbx.Sandbox.Site.SetUpstream(6, 'openai/gpt-4.1')
        $problems = @(Test-NewApiModelRedirect -Id 6 -Upstream -ErrorAction SilentlyContinue)
        @($problems | Where-Object Kind -EQ 'TargetNotServed').Key | Should -Be @('gpt-4o', 'ghost', 'x', 'gone')
    }

    It 'makes a scheduled pwsh -c exit non-zero when a problem is found' {
        $module = (Resolve-Path (Get-NewApiSyncTestModulePath)).Path
        $env:NEWAPI_BASE_URL = $sbx.BaseUrl
        $env:NEWAPI_ACCESS_TOKEN = $sbx.Sandbox.AccessToken
        $env:NEWAPI_USER_ID = [string]$sbx.UserId
        try {
            $output = Invoke-FreshPwsh -Command "Import-Module '$module'; Test-NewApiModelRedirect -Id 9"
            $LASTEXITCODE | Should -Not -Be 0
            ($output -join "`n") | Should -Match 'CrossesVersion'
            $null = Invoke-FreshPwsh -Command "Import-Module '$module'; Test-NewApiModelRedirect -Id 1"
            $LASTEXITCODE | Should -Be 0
        } finally {
            Restore-NewApiEnvironment
        }
    }

    It '-Fix -WhatIf writes nothing and leaves no journal' {
        $null = Test-NewApiModelRedirect -Id 6 -Fix -WhatIf -ErrorAction SilentlyContinue
        $sbx.Sandbox.Updates | Should -HaveCount 0
        Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
    }

    It '-Fix removes the broken entries in a journaled Repair run that Restore-NewApiChannel undoes' {
        $fixed = @(Test-NewApiModelRedirect -Id 6 -Fix -Confirm:$false -ErrorVariable leftOver -ErrorAction SilentlyContinue)
        @($fixed | Where-Object Fixed).Key | Should -Be @('ghost', 'a', 'b', 'gone')
        # The chain x -> gpt-4o -> openai/gpt-4o:free routes, so it stays and is still reported.
        $leftOver | Should -HaveCount 1
        $leftOver[0].TargetObject.Kind | Should -Be 'Chain'
        $sbx.Sandbox.Site.Get(6).ModelMapping | Should -BeExactly '{"gpt-4o":"openai/gpt-4o:free","x":"gpt-4o"}'
        $sbx.Sandbox.Site.Get(6).Models | Should -BeExactly 'openai/gpt-4o:free,gpt-4o,x,a,gone'
        $run = Get-NewApiSyncHistory -Run -Kind Repair
        $run.RunId | Should -Be $fixed[0].RunId

        $null = Restore-NewApiChannel -RunId $run.RunId -Confirm:$false
        $sbx.Sandbox.Site.Get(6).ModelMapping | Should -BeExactly $BrokenMapping
    }

    It 'leaves an unreadable mapping to Clear-NewApiModelRedirect' {
        $null = $sbx.Sandbox.Site.Change(9, [System.Action[NewApiSync.Sandbox.SandboxChannel]] { param($channel) $channel.ModelMapping = '{not json' })
        $problem = Test-NewApiModelRedirect -Id 9 -Fix -Confirm:$false -ErrorVariable problemErrors -ErrorAction SilentlyContinue
        $problem.Kind | Should -Be 'UnreadableMapping'
        $problem.Fixed | Should -BeFalse
        $problemErrors[0].ErrorDetails.RecommendedAction | Should -Match 'Clear-NewApiModelRedirect'
        $sbx.Sandbox.Updates | Should -HaveCount 0
    }
}
