<#
.SYNOPSIS
    A short tour of NewApiSync on its embedded sandbox: nothing outside this machine is touched.

.DESCRIPTION
    Starts the sandbox (a New API look-alike on a loopback port with its own throwaway journal and settings), then
    syncs every channel (one fails: its upstream key has expired), finds the failure in the history, fixes the key and
    finishes the job with -FailedOnly, previews redirects, and stops the sandbox. Each step prints the command it runs.
    build.ps1 -Task Demo runs it against out/NewApiSync; run it yourself with -ModuleManifest pointing at any copy.

.EXAMPLE
    pwsh -NoProfile -File examples/Invoke-SandboxDemo.ps1 -ModuleManifest out/NewApiSync/NewApiSync.psd1
#>
[CmdletBinding()]
param(
    [string] $ModuleManifest = 'NewApiSync'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Write-Step {
    # Prints the command a step runs, the way it would be typed at the prompt.
    param([Parameter(Mandatory)] [string] $Command)

    Write-Information -MessageData "`nPS> $Command" -InformationAction Continue
}

# A path (relative ones included) imports that copy; a bare name imports the installed module.
if (Test-Path -LiteralPath $ModuleManifest) {
    $ModuleManifest = (Resolve-Path -LiteralPath $ModuleManifest).ProviderPath
}

Import-Module -Name $ModuleManifest

Write-Step -Command '$sbx = Start-NewApiSandbox'
$sbx = Start-NewApiSandbox
Write-Information -MessageData "A sample site with $(@(Get-NewApiChannel).Count) channels listens on $($sbx.BaseUrl). Its settings start at 600 requests a minute (a real site's default is 20), so this tour takes seconds." -InformationAction Continue

try {
    Write-Step -Command 'Invoke-NewApiModelSync'
    # Channel 11's upstream key has expired: it fails, the others sync, and the failure is an error record.
    $results = Invoke-NewApiModelSync -ErrorAction SilentlyContinue -ErrorVariable syncErrors
    $results | Format-Table | Out-Host
    foreach ($syncError in $syncErrors) {
        Write-Information -MessageData "error $($syncError.FullyQualifiedErrorId.Split(',')[0]): $($syncError.Exception.Message)" -InformationAction Continue
    }

    Write-Step -Command 'Get-NewApiSyncHistory -Status Failed'
    Get-NewApiSyncHistory -Status Failed | Format-Table | Out-Host

    Write-Step -Command '$sbx.Sandbox.Site.SetUpstreamError(11, $null)   # the admin renews the key'
    $null = $sbx.Sandbox.Site.SetUpstreamError(11, $null)

    Write-Step -Command 'Invoke-NewApiModelSync -FailedOnly'
    Invoke-NewApiModelSync -FailedOnly | Format-Table | Out-Host

    Write-Step -Command "New-NewApiModelRedirect -StandardModel 'claude-4.5-sonnet', 'gpt-4.1' -WhatIf"
    New-NewApiModelRedirect -StandardModel 'claude-4.5-sonnet', 'gpt-4.1' -WhatIf | Format-Table | Out-Host

    Write-Step -Command 'Get-NewApiSyncHistory -Run'
    Get-NewApiSyncHistory -Run | Format-Table | Out-Host
} finally {
    Write-Step -Command 'Stop-NewApiSandbox'
    Stop-NewApiSandbox
}

Write-Information -MessageData "`nDone. Next: 'Get-Help about_NewApiSync', then Connect-NewApi to your own site." -InformationAction Continue
