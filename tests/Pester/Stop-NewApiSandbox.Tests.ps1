BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Stop-NewApiSandbox' {
    Context 'With a running sandbox' {
        BeforeEach {
            $script:sandbox = Start-NewApiSandbox
        }

        It 'forgets the sandbox connection, so commands ask for a site' {
            Stop-NewApiSandbox
            $caught = { Get-NewApiChannel } | Should -Throw -PassThru
            $caught.FullyQualifiedErrorId | Should -Be 'NewApiConfigurationMissing,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
        }

        It 'removes the data folder it made' {
            Test-Path -LiteralPath $script:sandbox.DataDirectory | Should -BeTrue
            Stop-NewApiSandbox
            Test-Path -LiteralPath $script:sandbox.DataDirectory | Should -BeFalse
        }

        It 'stops the listener' {
            Stop-NewApiSandbox
            ({ Get-NewApiChannel -Connection $script:sandbox } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -Be 'NewApiSiteUnreachable,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
        }

        It 'keeps a default connection to another site' {
            $token = ConvertTo-TestSecureString -Text $script:sandbox.Sandbox.AccessToken
            # A second, non-sandbox connection to the same listener: Stop-NewApiSandbox must not forget it...
            Connect-NewApi -BaseUrl $script:sandbox.BaseUrl -AccessToken $token -UserId 1
            Stop-NewApiSandbox
            # ...so the error is about the stopped listener, not a missing configuration.
            ({ Get-NewApiChannel } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -Be 'NewApiSiteUnreachable,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
        }
    }

    Context 'Without a sandbox' {
        It 'does nothing and says so with -Verbose' {
            Stop-NewApiSandbox
            $verbose = Stop-NewApiSandbox -Verbose 4>&1
            $verbose.Message | Should -Be 'No sandbox is running in this session.'
        }
    }
}
