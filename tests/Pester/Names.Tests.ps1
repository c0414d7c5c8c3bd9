#Requires -Version 7.4
# Pester 5 tests of issue 15 item 9: one spelling per name; a renamed parameter keeps its earlier name as an alias.
# Run: Invoke-Pester ./tests/Pester/Names.Tests.ps1   (after: dotnet build NewApiSync.PS.sln -c Release)

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
    Get-Module -Name NewApiSync | Remove-Module -Force
}

Describe 'Set-NewApiSyncSetting -StandardModel' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
    }
    AfterEach {
        Stop-NewApiSandbox
    }

    It 'is singular, as on New-NewApiModelRedirect' {
        $parameters = (Get-Command -Name Set-NewApiSyncSetting).Parameters
        $parameters.Keys | Should -Contain 'StandardModel'
        $parameters.Keys | Should -Not -Contain 'StandardModels'
        (Get-Command -Name New-NewApiModelRedirect).Parameters.Keys | Should -Contain 'StandardModel'
    }

    It 'saves the StandardModels setting when given as <Name>' -ForEach @(
        @{ Name = '-StandardModel'; Arguments = @{ StandardModel = @('gpt-4o', 'o3') } }
        @{ Name = 'the earlier -StandardModels'; Arguments = @{ StandardModels = @('gpt-4o', 'o3') } }
    ) {
        Set-NewApiSyncSetting @Arguments
        (Get-NewApiSyncSetting).StandardModels | Should -Be @('gpt-4o', 'o3')
    }
}

Describe 'Added and removed models of a redirect or clear result' {
    BeforeAll {
        $script:sbx = Start-NewApiTestSandbox
        $script:cleared = @(Clear-NewApiModelRedirect -Id 6 -Confirm:$false)[0]
    }
    AfterAll {
        Stop-NewApiSandbox
    }

    It 'are AddedModels and RemovedModels, as in a sync result' {
        $cleared.RemovedModels | Should -Be @('gpt-4o')
        $cleared.AddedModels | Should -HaveCount 0
        $cleared.PSObject.Properties.Name | Should -Contain 'RemovedModels'
    }

    It 'have no second spelling (ModelsAdded and ModelsRemoved were never released)' {
        $cleared.PSObject.Properties.Name | Should -Not -Contain 'ModelsRemoved'
        $cleared.PSObject.Properties.Name | Should -Not -Contain 'ModelsAdded'
        $cleared.ModelsRemoved | Should -BeNullOrEmpty
    }
}
