BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Disconnect-NewApi' {
    BeforeEach {
        Restore-NewApiEnvironment
    }

    Context 'With a default connection' {
        It 'forgets it, so commands ask for a site' {
            $null = Start-NewApiSandbox
            Disconnect-NewApi
            $caught = { Get-NewApiChannel } | Should -Throw -PassThru
            $caught.FullyQualifiedErrorId | Should -Be 'NewApiConfigurationMissing,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
            $caught.CategoryInfo.Category | Should -Be 'InvalidOperation'
        }

        It 'leaves connections held in variables working' {
            $sandbox = Start-NewApiSandbox
            Disconnect-NewApi
            @(Get-NewApiChannel -Connection $sandbox).Count | Should -Be 12
        }

        It 'falls back to the NEWAPI_* environment variables' {
            $sandbox = Start-NewApiSandbox -ChannelCount 4
            Disconnect-NewApi
            Restore-NewApiEnvironment -Value @{ NEWAPI_BASE_URL = $sandbox.BaseUrl; NEWAPI_ACCESS_TOKEN = $sandbox.Sandbox.AccessToken; NEWAPI_USER_ID = '1' }
            @(Get-NewApiChannel).Count | Should -Be 4
        }
    }

    Context 'Without a default connection' {
        It 'does nothing, without an error' {
            Disconnect-NewApi
            Disconnect-NewApi -ErrorVariable problems
            $problems | Should -BeNullOrEmpty
        }
    }
}
