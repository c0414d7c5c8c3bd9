<#
.SYNOPSIS
    Runs the Pester suite in this folder against a built NewApiSync and writes its counts to a file.

.DESCRIPTION
    build.ps1 -Task Test runs this in a fresh pwsh process. Pester comes from out/modules (the NuGet package the build
    restores); a Pester 5 installed from the Gallery is used when that folder is missing. No Pester 5 at all is an
    error, never a silent skip. The exit code is the number of failed tests (1 when the run itself failed).

.EXAMPLE
    pwsh -NoProfile -File tests/Pester/Invoke-PesterSuite.ps1 -ModuleManifest out/NewApiSync/NewApiSync.psd1 -SummaryFile out/TestResults/pester-summary.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModuleManifest,

    [Parameter(Mandatory)]
    [string] $SummaryFile,

    [ValidateSet('None', 'Normal', 'Detailed', 'Diagnostic')]
    [string] $Verbosity = 'Normal'
)

# No Set-StrictMode here: it would reach into every test's scope and change what the tests mean.
$ErrorActionPreference = 'Stop'

$repositoryRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
$restoredModules = [System.IO.Path]::Combine($repositoryRoot, 'out', 'modules')
if (Test-Path -LiteralPath $restoredModules) {
    $env:PSModulePath = $restoredModules + [System.IO.Path]::PathSeparator + $env:PSModulePath
}

$pester = Get-Module -Name Pester -ListAvailable |
    Where-Object { $_.Version.Major -eq 5 } |
    Sort-Object -Property Version -Descending |
    Select-Object -First 1
if (-not $pester) {
    throw "Pester 5 was not found: dotnet build restores it into $restoredModules."
}

Import-Module -Name $pester.Path
$env:NEWAPISYNC_MODULE = [System.IO.Path]::GetFullPath($ModuleManifest)

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = $Verbosity
$result = Invoke-Pester -Configuration $configuration

$summaryFolder = Split-Path -Path $SummaryFile -Parent
$null = New-Item -Path $summaryFolder -ItemType Directory -Force
[ordered]@{
    Pester           = $pester.Version.ToString()
    Result           = $result.Result
    Passed           = $result.PassedCount
    Failed           = $result.FailedCount
    Skipped          = $result.SkippedCount
    NotRun           = $result.NotRunCount
    ContainersFailed = $result.FailedContainersCount
} | ConvertTo-Json | Set-Content -LiteralPath $SummaryFile -Encoding utf8

if ($result.FailedContainersCount -gt 0) {
    exit [Math]::Max(1, $result.FailedCount)
}

exit $result.FailedCount
