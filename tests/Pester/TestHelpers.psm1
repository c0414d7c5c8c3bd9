# Shared by the Pester suite: which module build to test, and test credentials without plain-text cmdlets.

$script:NewApiVariableNames = @('NEWAPI_BASE_URL', 'NEWAPI_ACCESS_TOKEN', 'NEWAPI_USER_ID')

function Get-NewApiSyncTestModulePath {
    <#
    .SYNOPSIS
        The module under test: $env:NEWAPISYNC_MODULE when set (build.ps1 sets it), else this repository's build
        output out/NewApiSync/NewApiSync.psd1.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    if ($env:NEWAPISYNC_MODULE) {
        return $env:NEWAPISYNC_MODULE
    }

    [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'NewApiSync', 'NewApiSync.psd1'))
}

function Import-NewApiSyncUnderTest {
    <#
    .SYNOPSIS
        Imports the module under test into the global scope.
    #>
    [CmdletBinding()]
    param()

    $manifest = Get-NewApiSyncTestModulePath
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

function Start-NewApiTestSandbox {
    # A fresh sample sandbox (12 channels, its own data folder) with fast, short retries so failures do not wait.
    [CmdletBinding(SupportsShouldProcess)]
    param([hashtable] $Arguments = @{})

    if ($PSCmdlet.ShouldProcess('a sample New API site on a loopback port', 'Start a test sandbox')) {
        $sandbox = Start-NewApiSandbox @Arguments
        Set-NewApiSyncSetting -MaxRetries 1 -RequestsPerMinute 6000 -Burst 100 -Connection $sandbox
        $sandbox
    }
}

function Get-NewApiTestRun {
    # The journaled runs of the sandbox's site (a -WhatIf run leaves none).
    param([Parameter(Mandatory)] $Sandbox)

    @([NewApiSync.Engine.Journal.SyncJournal]::ForSite($Sandbox.DataDirectory, $Sandbox.BaseUrl, $Sandbox.UserId).ReadRuns())
}

function Get-TerminatingError {
    # Runs the script block and returns the error that stopped it (statement- or script-terminating), else $null.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)

    try {
        $null = & $ScriptBlock
    } catch {
        return $_
    }

    return $null
}

function Invoke-FreshPwsh {
    # Runs a command in a new pwsh process of this installation (no profile) and returns what it wrote, one string a
    # line. Under 'dotnet pwsh' this process is dotnet running pwsh.dll, so the child is started the same way.
    param([Parameter(Mandatory)] [string] $Command)

    $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    [string[]] $launcher = if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        Join-Path -Path $PSHOME -ChildPath 'pwsh.dll'
    } else {
        @()
    }

    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Command))
    & $process @launcher -NoProfile -NonInteractive -EncodedCommand $encoded 2>&1 | ForEach-Object { "$_" }
}

function Get-SandboxModel {
    # The stored models of a sandbox channel, as a list.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [int] $Id)

    @($Sandbox.Sandbox.Site.Get($Id).Models -split ',')
}

function Start-NewApiTestBackgroundCommand {
    # Starts one command of the module under test in its own runspace without waiting, so a test can watch its
    # streams and stop it the way Ctrl+C does. The import runs first on its own; the command is then the only
    # statement: PowerShell runs a multi-statement (batch) invocation on a pool thread that can still write an error
    # after Stop returns, and a Dispose at that moment takes the whole pwsh process down.
    param([Parameter(Mandatory)] [string] $CommandName, [Parameter(Mandatory)] [hashtable] $Parameters)

    $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
    $runspace.Open()
    $import = [powershell]::Create()
    try {
        $import.Runspace = $runspace
        $null = $import.AddCommand('Import-Module').AddParameter('Name', (Get-NewApiSyncTestModulePath)).AddParameter('ErrorAction', 'Stop').Invoke()
    } finally {
        $import.Dispose()
    }

    $shell = [powershell]::Create()
    $shell.Runspace = $runspace
    $null = $shell.AddCommand($CommandName).AddParameters($Parameters)
    $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $noInput.Complete()
    [pscustomobject]@{
        Shell    = $shell
        Runspace = $runspace
        Output   = $output
        Pending  = $shell.BeginInvoke($noInput, $output)
    }
}

function Stop-NewApiTestBackgroundCommand {
    # Stops a command from Start-NewApiTestBackgroundCommand, waits until its invocation has ended, then frees it.
    param([Parameter(Mandatory)] $Command)

    $Command.Shell.Stop()
    $null = $Command.Pending.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(30))
}

function Remove-NewApiTestBackgroundCommand {
    # Frees the shell and runspace of a stopped background command (call from AfterAll/finally).
    param([Parameter(Mandatory)] [AllowNull()] $Command)

    if ($Command) {
        if ($Command.Shell.InvocationStateInfo.State -eq [System.Management.Automation.PSInvocationState]::Running) {
            Stop-NewApiTestBackgroundCommand -Command $Command
        }

        $Command.Shell.Dispose()
        $Command.Runspace.Dispose()
    }
}

Export-ModuleMember -Function Start-NewApiTestBackgroundCommand, Stop-NewApiTestBackgroundCommand, Remove-NewApiTestBackgroundCommand, Invoke-FreshPwsh, Get-NewApiSyncTestModulePath, Start-NewApiTestSandbox, Get-NewApiTestRun, Get-TerminatingError, Get-SandboxModel, Import-NewApiSyncUnderTest, Enter-NewApiSyncTest, Exit-NewApiSyncTest, ConvertTo-TestSecureString, Get-NewApiEnvironment, Restore-NewApiEnvironment, Get-ClosedLoopbackUrl
