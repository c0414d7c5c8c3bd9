BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Start-NewApiSandbox' {
    Context 'The sample site' {
        BeforeAll {
            $script:connection = Start-NewApiSandbox
        }

        It 'returns a sandbox connection' {
            $script:connection.GetType().FullName | Should -Be 'NewApiSync.Engine.Api.NewApiConnection'
            $script:connection.IsSandbox | Should -BeTrue
            $script:connection.BaseUrl | Should -Match '^http://127\.0\.0\.1:\d+$'
        }

        It 'becomes the session connection, with the 12 sample channels' {
            $channels = @(Get-NewApiChannel -ErrorVariable problems)
            $problems | Should -BeNullOrEmpty
            $channels.Count | Should -Be 12
            $channels | ForEach-Object -Process { $_ | Should -BeOfType ([NewApiSync.Engine.Channels.Channel]) }
            $openAi = $channels | Where-Object Id -EQ 1
            $openAi.Name | Should -Be 'OpenAI official'
            $openAi.Models | Should -Be @('gpt-4o', 'gpt-4o-mini', 'gpt-4-turbo')
            $openAi.Status | Should -Be 'Enabled'
        }
    }

    Context 'Settings for a local server' {
        It 'seeds a fresh data folder with 600 requests a minute and a burst of 50' {
            $sandbox = Start-NewApiSandbox
            Test-Path -LiteralPath (Join-Path -Path $sandbox.DataDirectory -ChildPath 'settings.json') | Should -BeTrue
            $settings = Get-NewApiSyncSetting
            $settings.RequestsPerMinute | Should -Be 600
            $settings.Burst | Should -Be 50
            $settings.Concurrency | Should -Be 2
        }

        It 'keeps the default of 20 requests a minute for a sandbox limited with -RateLimitRequests' {
            $null = Start-NewApiSandbox -RateLimitRequests 60
            (Get-NewApiSyncSetting).RequestsPerMinute | Should -Be 20
        }

        It 'keeps the settings already saved in a folder given with -DataDirectory' {
            $folder = Join-Path -Path $TestDrive -ChildPath 'kept'
            $null = Start-NewApiSandbox -DataDirectory $folder
            Set-NewApiSyncSetting -RequestsPerMinute 42
            $null = Start-NewApiSandbox -DataDirectory $folder
            (Get-NewApiSyncSetting).RequestsPerMinute | Should -Be 42
        }
    }

    Context 'Generated sites' {
        It 'generates <ChannelCount> channels for the <Generation> generation' -TestCases @(
            @{ Generation = 'Paged'; ChannelCount = 5 }
            @{ Generation = 'Legacy'; ChannelCount = 230 }
        ) {
            $null = Start-NewApiSandbox -Generation $Generation -ChannelCount $ChannelCount -ModelsPerChannel 2
            $ids = Get-NewApiChannel | ForEach-Object Id | Sort-Object
            $ids | Should -Be ([int[]][System.Linq.Enumerable]::Range(1, $ChannelCount))
        }

        It 'stops the previous sandbox when a new one starts, and removes its data folder' {
            $first = Start-NewApiSandbox
            $null = Start-NewApiSandbox -ChannelCount 3
            Test-Path -LiteralPath $first.DataDirectory | Should -BeFalse
            @(Get-NewApiChannel).Count | Should -Be 3
            ({ Get-NewApiChannel -Connection $first -ErrorAction Stop } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -Be 'NewApiSiteUnreachable,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
        }
    }

    Context 'Parameter validation' {
        It 'rejects -<Name> <Value>' -TestCases @(
            @{ Name = 'ChannelCount'; Value = 0 }
            @{ Name = 'ModelsPerChannel'; Value = 2001 }
            @{ Name = 'RateLimitRequests'; Value = 0 }
        ) {
            $arguments = @{ $Name = $Value }
            ({ Start-NewApiSandbox @arguments } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,NewApiSync.PowerShell.Commands.StartNewApiSandboxCommand'
        }
    }
}
