<#
.SYNOPSIS
    Builds, tests, analyzes, packages or cleans NewApiSync.

.DESCRIPTION
    A thin wrapper over the MSBuild definition: the module layout (out/NewApiSync), the help generation and the
    package are defined once, in src/NewApiSync.PowerShell/ModuleLayout.targets and the files it imports. This script
    only chooses what to run.

    Build    dotnet build NewApiSync.PS.sln: leaves the importable module in out/NewApiSync.
    Test     Build, dotnet test, then the Pester suite (tests/Pester) in a fresh pwsh process against out/NewApiSync
             when Pester 5 is installed.
    Analyze  PSScriptAnalyzer with PSScriptAnalyzerSettings.psd1 over every .ps1, .psm1 and .psd1 in the repository.
    Package  Build, then out/NewApiSync.<version>.nupkg for the PowerShell Gallery (MSBuild target NewApiSyncPackage).
    Clean    dotnet clean and remove out/.
    Bench    The benchmarks (tests/NewApiSync.Benchmarks), always in Release.

.EXAMPLE
    ./build.ps1 -Task Test

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Analyze', 'Package', 'Clean', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$solution = Join-Path -Path $root -ChildPath 'NewApiSync.PS.sln'
$moduleManifest = [System.IO.Path]::Combine($root, 'out', 'NewApiSync', 'NewApiSync.psd1')
$configurationArgument = "-p:Configuration=$Configuration"

function Invoke-DotNet {
    # Runs dotnet with the given arguments and stops the build when it fails.
    param(
        [Parameter(Mandatory)]
        [string[]] $ArgumentList
    )

    Write-Verbose -Message "dotnet $($ArgumentList -join ' ')"
    & dotnet @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($ArgumentList[0]) failed with exit code $LASTEXITCODE."
    }
}

function Invoke-SolutionBuild {
    Invoke-DotNet -ArgumentList @('build', $solution, $configurationArgument)
}

function Invoke-TestSuite {
    Invoke-SolutionBuild
    Invoke-DotNet -ArgumentList @('test', $solution, $configurationArgument, '--no-build')

    $pester = Get-Module -Name Pester -ListAvailable | Where-Object { $_.Version -ge [version]'5.0.0' } | Sort-Object -Property Version -Descending | Select-Object -First 1
    if (-not $pester) {
        Write-Warning -Message 'Pester 5 is not installed, so tests/Pester did not run. Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
        return
    }

    # A fresh process: the module under test is loaded once, from out/, with no profile and nothing left from this session.
    $pesterScript = @'
param($Path, $Module, $PesterVersion)
$env:NEWAPISYNC_MODULE = $Module
Import-Module -Name Pester -RequiredVersion $PesterVersion
$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.Exit = $true
$configuration.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration $configuration
'@
    $pesterPath = Join-Path -Path $root -ChildPath 'tests/Pester'
    & pwsh -NoProfile -NonInteractive -Command ([scriptblock]::Create($pesterScript)) -args $pesterPath, $moduleManifest, $pester.Version.ToString()
    if ($LASTEXITCODE -ne 0) {
        throw "The Pester suite failed ($LASTEXITCODE failed test(s) or a run error)."
    }
}

function Invoke-Analyzer {
    if (-not (Get-Module -Name PSScriptAnalyzer -ListAvailable)) {
        throw 'PSScriptAnalyzer is not installed. Install it with: Install-Module PSScriptAnalyzer -Scope CurrentUser'
    }

    $settings = Join-Path -Path $root -ChildPath 'PSScriptAnalyzerSettings.psd1'
    $generated = [regex]'[\\/](out|bin|obj|TestResults)[\\/]'
    $files = Get-ChildItem -Path $root -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
        Where-Object { -not $generated.IsMatch($_.FullName.Substring($root.Length)) }
    $findings = @($files | ForEach-Object { Invoke-ScriptAnalyzer -Path $_.FullName -Settings $settings })
    $findings | Format-Table -Property Severity, RuleName, ScriptName, Line, Message -AutoSize -Wrap
    if ($findings.Count -gt 0) {
        throw "PSScriptAnalyzer found $($findings.Count) problem(s) in $(@($files).Count) file(s)."
    }

    Write-Information -MessageData "PSScriptAnalyzer: $(@($files).Count) file(s) clean." -InformationAction Continue
}

function Invoke-Packaging {
    Invoke-SolutionBuild
    $project = [System.IO.Path]::Combine($root, 'src', 'NewApiSync.PowerShell', 'NewApiSync.PowerShell.csproj')
    Invoke-DotNet -ArgumentList @('msbuild', $project, '-t:NewApiSyncPackage', $configurationArgument, '-nologo')
}

function Invoke-CleanOutput {
    Invoke-DotNet -ArgumentList @('clean', $solution, $configurationArgument)
    $out = Join-Path -Path $root -ChildPath 'out'
    if (Test-Path -LiteralPath $out) {
        Remove-Item -LiteralPath $out -Recurse -Force
    }
}

function Invoke-Benchmark {
    # Timings from a Debug build mean nothing, so the benchmarks always run in Release.
    $project = Join-Path -Path $root -ChildPath 'tests/NewApiSync.Benchmarks'
    Invoke-DotNet -ArgumentList @('run', '-c', 'Release', '--project', $project)
}

switch ($Task) {
    'Build' { Invoke-SolutionBuild }
    'Test' { Invoke-TestSuite }
    'Analyze' { Invoke-Analyzer }
    'Package' { Invoke-Packaging }
    'Clean' { Invoke-CleanOutput }
    'Bench' { Invoke-Benchmark }
}
