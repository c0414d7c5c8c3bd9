# Shared by the Pester suite: which module build to test, and test credentials without plain-text cmdlets.

$script:NewApiVariableNames = @('NEWAPI_BASE_URL', 'NEWAPI_ACCESS_TOKEN', 'NEWAPI_USER_ID')

function Import-NewApiSyncUnderTest {
    <#
    .SYNOPSIS
        Imports the module under test into the global scope: $env:NEWAPISYNC_MODULE when set (build.ps1 sets it),
        else the build output out/NewApiSync/NewApiSync.psd1 of this repository.
    #>
    [CmdletBinding()]
    param()

    $manifest = if ($env:NEWAPISYNC_MODULE) {
        $env:NEWAPISYNC_MODULE
    } else {
        [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'NewApiSync', 'NewApiSync.psd1'))
    }

    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "The built module is missing at $manifest. Run ./build.ps1 first."
    }

    Import-Module -Name $manifest -Force -Global -ErrorAction Stop
}

function ConvertTo-TestSecureString {
    <#
    .SYNOPSIS
        A SecureString holding the given test text (sandbox tokens and deliberately wrong ones).
    #>
    [CmdletBinding()]
    [OutputType([System.Security.SecureString])]
    param(
        [Parameter(Mandatory)]
        [string] $Text
    )

    $secure = [System.Security.SecureString]::new()
    foreach ($character in $Text.ToCharArray()) {
        $secure.AppendChar($character)
    }

    $secure.MakeReadOnly()
    $secure
}

function Get-NewApiEnvironment {
    <#
    .SYNOPSIS
        The current NEWAPI_* environment variables, to put back with Restore-NewApiEnvironment.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    $saved = @{}
    foreach ($name in $script:NewApiVariableNames) {
        $saved[$name] = [System.Environment]::GetEnvironmentVariable($name)
    }

    $saved
}

function Restore-NewApiEnvironment {
    <#
    .SYNOPSIS
        Sets the NEWAPI_* environment variables to the given values; a missing or null value removes the variable.
    #>
    [CmdletBinding()]
    param(
        [hashtable] $Value = @{}
    )

    foreach ($name in $script:NewApiVariableNames) {
        [System.Environment]::SetEnvironmentVariable($name, $Value[$name])
    }
}

function Get-ClosedLoopbackUrl {
    <#
    .SYNOPSIS
        An http:// address on a loopback port nothing listens on, for "site unreachable" tests.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    "http://127.0.0.1:$port"
}

function Enter-NewApiSyncTest {
    <#
    .SYNOPSIS
        The start of every test file: imports the module under test and clears the NEWAPI_* variables, so a
        developer's own site never leaks into a test. Returns the variables as they were, for Exit-NewApiSyncTest.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param()

    Import-NewApiSyncUnderTest
    Get-NewApiEnvironment
    Restore-NewApiEnvironment
}

function Exit-NewApiSyncTest {
    <#
    .SYNOPSIS
        The end of every test file: stops any sandbox and puts the NEWAPI_* variables back.
    #>
    [CmdletBinding()]
    param(
        [hashtable] $SavedEnvironment = @{}
    )

    Stop-NewApiSandbox
    Restore-NewApiEnvironment -Value $SavedEnvironment
}

Export-ModuleMember -Function Import-NewApiSyncUnderTest, Enter-NewApiSyncTest, Exit-NewApiSyncTest, ConvertTo-TestSecureString, Get-NewApiEnvironment, Restore-NewApiEnvironment, Get-ClosedLoopbackUrl
