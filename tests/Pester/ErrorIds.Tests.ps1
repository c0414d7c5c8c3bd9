#Requires -Version 7.4
# Pester 5 tests of issue 15 item 5: a failure of the site or the run as a whole has one ErrorId in every command.
# Run: Invoke-Pester ./tests/Pester/ErrorIds.Tests.ps1   (after: dotnet build NewApiSync.PS.sln -c Release)

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
    Get-Module -Name NewApiSync | Remove-Module -Force
}

Describe 'A user who is not an administrator (HTTP 403)' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
    }
    AfterEach {
        Stop-NewApiSandbox
    }

    It 'stops <Command> with NewApiPermissionDenied, as Connect-NewApi does' -ForEach @(
        @{ Command = 'Get-NewApiChannel'; Route = 'ListChannels'; Invocation = { Get-NewApiChannel } }
        @{ Command = 'Get-NewApiChannel -Id'; Route = 'GetChannel'; Invocation = { Get-NewApiChannel -Id 1 } }
        @{ Command = 'Invoke-NewApiModelSync'; Route = 'ListChannels'; Invocation = { Invoke-NewApiModelSync -ErrorAction SilentlyContinue } }
        @{ Command = 'Invoke-NewApiModelSync -Id'; Route = 'GetChannel'; Invocation = { Invoke-NewApiModelSync -Id 1, 2 -ErrorAction SilentlyContinue } }
        @{ Command = 'New-NewApiModelRedirect'; Route = 'ListChannels'; Invocation = { New-NewApiModelRedirect -Confirm:$false -ErrorAction SilentlyContinue } }
    ) {
        $null = $sbx.Sandbox.Faults.FailNext([NewApiSync.Sandbox.SandboxRoute]$Route, [NewApiSync.Sandbox.SandboxFaultKind]::Forbidden, 10)
        $failure = Get-TerminatingError $Invocation
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiPermissionDenied,*'
        $failure.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*admin*'
        $sbx.Sandbox.Updates | Should -HaveCount 0
    }
}

Describe 'A site whose connection breaks (network error)' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        # Every try of the channel list, retries included, has its connection reset.
        $null = $sbx.Sandbox.Faults.FailNext([NewApiSync.Sandbox.SandboxRoute]::ListChannels, [NewApiSync.Sandbox.SandboxFaultKind]::Reset, 10)
    }
    AfterEach {
        Stop-NewApiSandbox
    }

    It 'stops <Command> with NewApiSiteUnreachable, as Connect-NewApi does' -ForEach @(
        @{ Command = 'Get-NewApiChannel'; Invocation = { Get-NewApiChannel } }
        @{ Command = 'Invoke-NewApiModelSync'; Invocation = { Invoke-NewApiModelSync -ErrorAction SilentlyContinue } }
        @{ Command = 'Test-NewApiModelRedirect'; Invocation = { Test-NewApiModelRedirect -ErrorAction SilentlyContinue } }
    ) {
        $failure = Get-TerminatingError $Invocation
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiSiteUnreachable,*'
        $failure.CategoryInfo.Category | Should -Be 'ConnectionError'
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*reachable*'
    }
}
