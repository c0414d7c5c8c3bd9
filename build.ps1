<#
.SYNOPSIS
    Builds, tests, demonstrates, analyzes, packages, installs or cleans NewApiSync.

.DESCRIPTION
    A thin wrapper over the MSBuild definition: the module layout (out/NewApiSync), the help generation and the
    package are defined once, in src/NewApiSync.PowerShell/ModuleLayout.targets and the files it imports. This script
    only chooses what to run. Run it in PowerShell 7 (the repository pins one: dotnet tool restore, then dotnet pwsh).

    Build    dotnet build NewApiSync.PS.sln: leaves the importable module in out/NewApiSync, and the Pester package
             restored from NuGet in out/modules.
    Test     Build, dotnet test (the xunit suites), then the Pester suite (tests/Pester) in a fresh pwsh process
             against out/NewApiSync; ends with one line counting every test, and fails when any test failed.
    Demo     Build, then a short tour of the module on the embedded sandbox in a fresh pwsh process.
    Analyze  PSScriptAnalyzer over every .ps1, .psm1 and .psd1, each with its nearest PSScriptAnalyzerSettings.psd1.
    Package  Build, then out/NewApiSync.<version>.nupkg for the PowerShell Gallery (MSBuild target NewApiSyncPackage).
    Install  Build, then copy out/NewApiSync into the current user's module folder for the running edition, so the
             module imports by name (cron jobs, scheduled tasks). Supports -WhatIf.
    Clean    dotnet clean and remove out/.
    Bench    The benchmarks (tests/NewApiSync.Benchmarks), always in Release.

.EXAMPLE
    dotnet tool restore; dotnet pwsh -NoProfile -File ./build.ps1 -Task Test

.EXAMPLE
    ./build.ps1 -Task Install -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Analyze', 'Package', 'Install', 'Clean', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$solution = Join-Path -Path $root -ChildPath 'NewApiSync.PS.sln'
$moduleFolder = [System.IO.Path]::Combine($root, 'out', 'NewApiSync')
$moduleManifest = Join-Path -Path $moduleFolder -ChildPath 'NewApiSync.psd1'
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

function Invoke-FreshPwsh {
    # Runs a script file in a new pwsh process of the same installation, with no profile: the module under test loads
    # once, from out/, with nothing left from this session. Under 'dotnet pwsh' this process is dotnet running pwsh.dll.
    param(
        [Parameter(Mandatory)]
        [string] $File,

        [string[]] $ArgumentList = @()
    )

    $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $viaDotNet = [System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet'
    [string[]] $launcher = if ($viaDotNet) { Join-Path -Path $PSHOME -ChildPath 'pwsh.dll' } else { @() }
    & $process @launcher -NoProfile -NonInteractive -File $File @ArgumentList | Out-Host
    $LASTEXITCODE
}

function Get-XunitCount {
    # Adds up the per-assembly summaries that dotnet test prints ("Passed!  - Failed: 0, Passed: 519, Skipped: 0, ...").
    param(
        [AllowEmptyCollection()]
        [string[]] $Line
    )

    $count = @{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($text in $Line) {
        $summary = [regex]::Match($text, '(Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+)')
        if ($summary.Success) {
            $count.Failed += [int]$summary.Groups[2].Value
            $count.Passed += [int]$summary.Groups[3].Value
            $count.Skipped += [int]$summary.Groups[4].Value
        }
    }

    $count
}

function Invoke-TestSuite {
    Invoke-SolutionBuild

    $xunitOutput = [System.Collections.Generic.List[string]]::new()
    & dotnet test $solution $configurationArgument --no-build 2>&1 | ForEach-Object {
        $xunitOutput.Add("$_")
        $_
    } | Out-Host
    $xunitExitCode = $LASTEXITCODE
    $xunit = Get-XunitCount -Line $xunitOutput

    $summaryFile = [System.IO.Path]::Combine($root, 'out', 'TestResults', 'pester-summary.json')
    if (Test-Path -LiteralPath $summaryFile) {
        Remove-Item -LiteralPath $summaryFile
    }

    $pesterRunner = [System.IO.Path]::Combine($root, 'tests', 'Pester', 'Invoke-PesterSuite.ps1')
    $pesterExitCode = Invoke-FreshPwsh -File $pesterRunner -ArgumentList @('-ModuleManifest', $moduleManifest, '-SummaryFile', $summaryFile)
    $pester = if (Test-Path -LiteralPath $summaryFile) {
        Get-Content -LiteralPath $summaryFile -Raw | ConvertFrom-Json
    }

    $passed = $xunit.Passed + $(if ($pester) { $pester.Passed } else { 0 })
    $failed = $xunit.Failed + $(if ($pester) { $pester.Failed } else { 0 })
    $skipped = $xunit.Skipped + $(if ($pester) { $pester.Skipped } else { 0 })
    Write-Information -MessageData "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed; Pester: $(if ($pester) { "$($pester.Passed) passed, $($pester.Failed) failed" } else { 'did not run' })" -InformationAction Continue
    Write-Information -MessageData "tests: $passed passed, $failed failed, $skipped skipped" -InformationAction Continue

    if ($xunitExitCode -ne 0) {
        throw "dotnet test failed with exit code $xunitExitCode."
    }

    if (-not $pester -or $pesterExitCode -ne 0) {
        throw "The Pester suite failed (exit code $pesterExitCode); see its output above."
    }
}

function Invoke-Demo {
    Invoke-SolutionBuild
    $demo = [System.IO.Path]::Combine($root, 'examples', 'Invoke-SandboxDemo.ps1')
    $exitCode = Invoke-FreshPwsh -File $demo -ArgumentList @('-ModuleManifest', $moduleManifest)
    if ($exitCode -ne 0) {
        throw "The demo failed with exit code $exitCode."
    }
}

function Get-AnalyzerSetting {
    # The PSScriptAnalyzerSettings.psd1 nearest to a script, looking up from its folder to the repository root.
    param(
        [Parameter(Mandatory)]
        [string] $Path
    )

    $folder = Split-Path -Path $Path -Parent
    while ($folder.Length -ge $root.Length) {
        $candidate = Join-Path -Path $folder -ChildPath 'PSScriptAnalyzerSettings.psd1'
        if (Test-Path -LiteralPath $candidate) {
            return $candidate
        }

        $folder = Split-Path -Path $folder -Parent
    }

    Join-Path -Path $root -ChildPath 'PSScriptAnalyzerSettings.psd1'
}

function Invoke-Analyzer {
    if (-not (Get-Module -Name PSScriptAnalyzer -ListAvailable)) {
        throw 'PSScriptAnalyzer is not installed. Install it with: Install-PSResource PSScriptAnalyzer -Scope CurrentUser'
    }

    $generated = [regex]'[\\/](out|bin|obj|TestResults)[\\/]'
    $files = Get-ChildItem -Path $root -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
        Where-Object { -not $generated.IsMatch($_.FullName.Substring($root.Length)) }
    $findings = @($files | ForEach-Object { Invoke-ScriptAnalyzer -Path $_.FullName -Settings (Get-AnalyzerSetting -Path $_.FullName) })
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

function Get-UserModuleFolder {
    # Where Install-Module -Scope CurrentUser puts modules for the running edition and platform.
    if ($PSEdition -eq 'Desktop') {
        return [System.IO.Path]::Combine([Environment]::GetFolderPath('MyDocuments'), 'WindowsPowerShell', 'Modules')
    }

    if ($IsWindows) {
        return [System.IO.Path]::Combine([Environment]::GetFolderPath('MyDocuments'), 'PowerShell', 'Modules')
    }

    [System.IO.Path]::Combine([Environment]::GetFolderPath('LocalApplicationData'), 'powershell', 'Modules')
}

function Install-BuiltModule {
    Invoke-SolutionBuild
    $version = (Import-PowerShellDataFile -LiteralPath $moduleManifest).ModuleVersion
    $destination = [System.IO.Path]::Combine((Get-UserModuleFolder), 'NewApiSync', $version)
    if ($PSCmdlet.ShouldProcess($destination, "Install NewApiSync $version")) {
        if (Test-Path -LiteralPath $destination) {
            Remove-Item -LiteralPath $destination -Recurse -Force
        }

        $null = New-Item -Path $destination -ItemType Directory -Force
        Copy-Item -Path (Join-Path -Path $moduleFolder -ChildPath '*') -Destination $destination -Recurse
        Write-Information -MessageData "Installed NewApiSync $version to $destination; 'Import-Module NewApiSync' now works in new sessions." -InformationAction Continue
    }
}

function Invoke-CleanOutput {
    Invoke-DotNet -ArgumentList @('clean', $solution, $configurationArgument)
    $out = Join-Path -Path $root -ChildPath 'out'
    if ((Test-Path -LiteralPath $out) -and $PSCmdlet.ShouldProcess($out, 'Remove the build output')) {
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
    'Demo' { Invoke-Demo }
    'Analyze' { Invoke-Analyzer }
    'Package' { Invoke-Packaging }
    'Install' { Install-BuiltModule }
    'Clean' { Invoke-CleanOutput }
    'Bench' { Invoke-Benchmark }
}
