BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Get-NewApiChannel' {
    Context 'Listing and filtering the sample site' {
        BeforeAll {
            $null = Start-NewApiSandbox
        }

        It 'lists every channel in id order' {
            (Get-NewApiChannel | ForEach-Object Id) -join ',' | Should -Be '1,2,3,4,5,6,7,8,9,10,11,12'
        }

        It '<Script> returns channels <Expected>' -TestCases @(
            @{ Script = 'Get-NewApiChannel -Name *open*'; Expected = @(1, 6, 11) }
            @{ Script = "Get-NewApiChannel -Name 'zhipu glm'"; Expected = @(9) }
            @{ Script = 'Get-NewApiChannel -Status ManuallyDisabled'; Expected = @(8) }
            @{ Script = 'Get-NewApiChannel -Status AutoDisabled'; Expected = @(12) }
            @{ Script = 'Get-NewApiChannel -Id 4, 2'; Expected = @(4, 2) }
            @{ Script = 'Get-NewApiChannel 5'; Expected = @(5) }
            @{ Script = '[pscustomobject]@{ ChannelId = 7 }, [pscustomobject]@{ ChannelId = 3 } | Get-NewApiChannel'; Expected = @(7, 3) }
            @{ Script = 'Get-NewApiChannel -Name *claude* -Status Enabled'; Expected = @() }
        ) {
            $output = @(& ([scriptblock]::Create($Script)) 2>&1)
            $output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Should -BeNullOrEmpty
            ($output | ForEach-Object Id) -join ',' | Should -Be ($Expected -join ',')
        }

        It 'returns channel objects with the full model list' {
            $channel = Get-NewApiChannel -Id 1
            $channel.GetType().FullName | Should -Be 'NewApiSync.Engine.Channels.Channel'
            $channel.Models | Should -Be @('gpt-4o', 'gpt-4o-mini', 'gpt-4-turbo')
        }
    }

    Context 'Channels that do not exist' {
        BeforeAll {
            $null = Start-NewApiSandbox
        }

        It 'reports a missing id as a non-terminating CannotFindChannel and returns the others' {
            $found = Get-NewApiChannel -Id 1, 999 -ErrorVariable problems -ErrorAction SilentlyContinue
            $found.Id | Should -Be 1
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CannotFindChannel,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problems[0].TargetObject | Should -Be 999
        }

        It 'reports a literal name that matches nothing' {
            $null = Get-NewApiChannel -Name 'No such channel' -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -Be 'CannotFindChannel,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
            $problems[0].TargetObject | Should -Be 'No such channel'
        }

        It 'does not report a wildcard that matches nothing' {
            Get-NewApiChannel -Name 'No such*' -ErrorVariable problems | Should -BeNullOrEmpty
            $problems | Should -BeNullOrEmpty
        }
    }

    Context 'Choosing the site' {
        It 'prefers -Connection over the session default' {
            $first = Start-NewApiSandbox
            $second = Start-NewApiSandbox -ChannelCount 3
            @(Get-NewApiChannel).Count | Should -Be 3
            @(Get-NewApiChannel -Connection $second).Count | Should -Be 3
            # Starting the second sandbox stopped the first: its connection reaches nothing.
            $caught = { Get-NewApiChannel -Connection $first } | Should -Throw -PassThru
            $caught.FullyQualifiedErrorId | Should -Be 'NewApiSiteUnreachable,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
            $caught.CategoryInfo.Category | Should -Be 'ConnectionError'
        }

        It 'connects scheduled scripts through the NEWAPI_* environment variables' {
            $sandbox = Start-NewApiSandbox -ChannelCount 5
            Disconnect-NewApi
            try {
                Restore-NewApiEnvironment -Value @{ NEWAPI_BASE_URL = $sandbox.BaseUrl; NEWAPI_ACCESS_TOKEN = $sandbox.Sandbox.AccessToken; NEWAPI_USER_ID = '1' }
                @(Get-NewApiChannel).Count | Should -Be 5
            } finally {
                Restore-NewApiEnvironment
            }
        }

        It 'names exactly the missing variables: <Expected>' -TestCases @(
            @{ Variables = @{}; Expected = 'NEWAPI_BASE_URL, NEWAPI_ACCESS_TOKEN, NEWAPI_USER_ID' }
            @{ Variables = @{ NEWAPI_BASE_URL = 'https://x.example'; NEWAPI_USER_ID = '1' }; Expected = 'variable NEWAPI_ACCESS_TOKEN is' }
            @{ Variables = @{ NEWAPI_BASE_URL = 'https://x.example'; NEWAPI_ACCESS_TOKEN = 'tok' }; Expected = 'variable NEWAPI_USER_ID is' }
        ) {
            Stop-NewApiSandbox
            try {
                Restore-NewApiEnvironment -Value $Variables
                $caught = { Get-NewApiChannel } | Should -Throw -PassThru
                $caught.FullyQualifiedErrorId | Should -Be 'NewApiConfigurationMissing,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
                $caught.CategoryInfo.Category | Should -Be 'InvalidOperation'
                $caught.Exception.Message | Should -BeLike "*$Expected*"
            } finally {
                Restore-NewApiEnvironment
            }
        }

        It 'rejects a user id that is not a number, without showing the token' {
            Stop-NewApiSandbox
            try {
                Restore-NewApiEnvironment -Value @{ NEWAPI_BASE_URL = 'https://x.example'; NEWAPI_ACCESS_TOKEN = 'secret-token-value'; NEWAPI_USER_ID = 'abc' }
                $caught = { Get-NewApiChannel } | Should -Throw -PassThru
                $caught.FullyQualifiedErrorId | Should -Be 'NewApiConfigurationInvalid,NewApiSync.PowerShell.Commands.GetNewApiChannelCommand'
                "$caught" | Should -Not -BeLike '*secret-token-value*'
            } finally {
                Restore-NewApiEnvironment
            }
        }
    }
}
