BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Connect-NewApi' {
    BeforeEach {
        Restore-NewApiEnvironment
        $script:sandbox = Start-NewApiSandbox
        $script:url = $script:sandbox.BaseUrl
        $script:plainToken = $script:sandbox.Sandbox.AccessToken
        $script:token = ConvertTo-TestSecureString -Text $script:plainToken
    }

    Context 'Valid credentials' {
        BeforeEach {
            Disconnect-NewApi
            $script:connection = Connect-NewApi -BaseUrl $script:url -AccessToken $script:token -UserId 1 -PassThru
        }

        It 'reports the server and its channel-list generation' {
            $script:connection.IsSandbox | Should -BeFalse
            $script:connection.ServerVersion | Should -Be 'v0.9.6-sandbox'
            $script:connection.Generation | Should -Be 'Paged'
        }

        It 'becomes the default connection' {
            @(Get-NewApiChannel).Count | Should -Be 12
        }

        It 'never shows the token' {
            $script:connection.ToString() | Should -Not -BeLike "*$script:plainToken*"
            ($script:connection.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join "`n" | Should -Not -BeLike "*$script:plainToken*"
        }

        It 'writes nothing without -PassThru' {
            Connect-NewApi -BaseUrl $script:url -AccessToken $script:token -UserId 1 | Should -BeNullOrEmpty
        }
    }

    Context 'Failures' {
        It 'fails with <ErrorId> (<Category>) when <Case>, and changes nothing' -TestCases @(
            @{ Case = 'the token is wrong'; BaseUrl = 'sandbox'; Token = 'not-the-token-42'; UserId = 1; ErrorId = 'NewApiAuthenticationFailed'; Category = 'AuthenticationError' }
            @{ Case = 'the user id is wrong'; BaseUrl = 'sandbox'; Token = 'sandbox'; UserId = 2; ErrorId = 'NewApiAuthenticationFailed'; Category = 'AuthenticationError' }
            @{ Case = 'the scheme is not http(s)'; BaseUrl = 'ftp://example.com'; Token = 'sandbox'; UserId = 1; ErrorId = 'InvalidBaseUrl'; Category = 'InvalidArgument' }
            @{ Case = 'the address has no scheme'; BaseUrl = 'example.com'; Token = 'sandbox'; UserId = 1; ErrorId = 'InvalidBaseUrl'; Category = 'InvalidArgument' }
            @{ Case = 'nothing listens'; BaseUrl = 'closed'; Token = 'sandbox'; UserId = 1; ErrorId = 'NewApiSiteUnreachable'; Category = 'ConnectionError' }
        ) {
            $address = switch ($BaseUrl) {
                'sandbox' { $script:url }
                'closed' { Get-ClosedLoopbackUrl }
                default { $BaseUrl }
            }
            $secure = if ($Token -eq 'sandbox') { $script:token } else { ConvertTo-TestSecureString -Text $Token }

            $caught = { Connect-NewApi -BaseUrl $address -AccessToken $secure -UserId $UserId } | Should -Throw -PassThru
            $caught.FullyQualifiedErrorId | Should -Be "$ErrorId,NewApiSync.PowerShell.Commands.ConnectNewApiCommand"
            $caught.CategoryInfo.Category | Should -Be $Category
            "$caught $($caught.Exception)" | Should -Not -BeLike "*$script:plainToken*"
            "$caught $($caught.Exception)" | Should -Not -BeLike '*not-the-token-42*'

            # The sandbox connection is still the default.
            @(Get-NewApiChannel).Count | Should -Be 12
        }

        It 'refuses a user who is not an admin on a <Generation> server with <ErrorId>' -TestCases @(
            # Newer servers answer a too-low role with 403; older ones with 200 and success:false whose message
            # (无权进行此操作，权限不足) says the role is too low, so both are PermissionDenied.
            @{ Generation = 'Paged'; ErrorId = 'NewApiPermissionDenied'; Category = 'PermissionDenied' }
            @{ Generation = 'Legacy'; ErrorId = 'NewApiPermissionDenied'; Category = 'PermissionDenied' }
        ) {
            $site = Start-NewApiSandbox -Generation $Generation
            $site.Sandbox.Options.UserRole = 1
            $siteToken = ConvertTo-TestSecureString -Text $site.Sandbox.AccessToken

            $caught = { Connect-NewApi -BaseUrl $site.BaseUrl -AccessToken $siteToken -UserId 1 } | Should -Throw -PassThru
            $caught.FullyQualifiedErrorId | Should -Be "$ErrorId,NewApiSync.PowerShell.Commands.ConnectNewApiCommand"
            $caught.CategoryInfo.Category | Should -Be $Category
            "$($caught.Exception.Message) $($caught.ErrorDetails.RecommendedAction)" | Should -BeLikeExactly '*admin*'
        }

        It 'validates -<Name>' -TestCases @(
            @{ Name = 'UserId'; Value = 0 }
            @{ Name = 'RequestTimeoutSec'; Value = 601 }
        ) {
            $arguments = @{ BaseUrl = $script:url; AccessToken = $script:token; UserId = 1 }
            $arguments[$Name] = $Value
            ({ Connect-NewApi @arguments } | Should -Throw -PassThru).FullyQualifiedErrorId | Should -Be 'ParameterArgumentValidationError,NewApiSync.PowerShell.Commands.ConnectNewApiCommand'
        }
    }

    Context 'Insecure options' {
        It 'warns about plain http:// to another host, before trying it' {
            $caught = $null
            try {
                Connect-NewApi -BaseUrl 'http://192.0.2.1' -AccessToken $script:token -UserId 1 -RequestTimeoutSec 1 -WarningVariable warnings -WarningAction SilentlyContinue
            } catch {
                $caught = $_
            }

            $caught.FullyQualifiedErrorId | Should -Be 'NewApiSiteUnreachable,NewApiSync.PowerShell.Commands.ConnectNewApiCommand'
            "$warnings" | Should -BeLike '*plain http://*'
        }

        It 'does not warn about plain http:// on the loopback address' {
            Connect-NewApi -BaseUrl $script:url -AccessToken $script:token -UserId 1 -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -BeNullOrEmpty
        }

        It 'warns about -SkipCertificateCheck' {
            Connect-NewApi -BaseUrl $script:url -AccessToken $script:token -UserId 1 -SkipCertificateCheck -WarningVariable warnings -WarningAction SilentlyContinue
            "$warnings" | Should -BeLike '*-SkipCertificateCheck*'
        }
    }

    Context 'Verbose and debug output' {
        It 'tells the requests and their status, never the token' {
            # The preference rather than -Debug, set in a child scope: on Windows PowerShell 5.1, -Debug would prompt.
            $messages = & {
                $DebugPreference = 'Continue'
                Get-NewApiChannel -Id 3 -Verbose 4>&1 5>&1 | Where-Object { $_ -isnot [NewApiSync.Engine.Channels.Channel] }
            }
            $verbose = $messages | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            $debug = $messages | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message
            $verbose | Where-Object { $_ -like '*GET /api/channel/3*' } | Should -Not -BeNullOrEmpty
            $debug | Where-Object { $_ -like '*GET /api/channel/3 -> 200*' } | Should -Not -BeNullOrEmpty
            ($messages.Message -join "`n") | Should -Not -BeLike "*$script:plainToken*"
        }
    }
}
