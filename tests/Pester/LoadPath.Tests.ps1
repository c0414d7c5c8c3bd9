#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# How the module loads on PowerShell 7 (the manifest's nested module is the netstandard2.0 cmdlet assembly, whose module
# initializer attaches the load context in bin/net8.0): every way of importing it, a second runspace, completion before
# any command has run, a damaged module folder, and Remove-Module. Each case runs in a fresh pwsh process, because
# what matters is what was loaded first; each checks that the engine and its dependencies sit in the "NewApiSync" load
# context, loaded from bin/net8.0.

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:manifest = Get-NewApiSyncTestModulePath
    # The child's NewApiSync, Polly.Core and RateLimiting assemblies, as "assembly name load-context bin-folder" lines.
    $script:listAssemblies = @'
[System.AppDomain]::CurrentDomain.GetAssemblies() |
    Where-Object { $_.GetName().Name -match '^(Polly\.Core|System\.Threading\.RateLimiting|NewApiSync\..+)$' } |
    ForEach-Object { 'assembly {0} {1} {2}' -f $_.GetName().Name, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name, [System.IO.Path]::GetFileName([System.IO.Path]::GetDirectoryName($_.Location)) }
'@
    $script:isolated = @(
        'assembly NewApiSync.Engine NewApiSync net8.0'
        'assembly NewApiSync.Sandbox NewApiSync net8.0'
        'assembly Polly.Core NewApiSync net8.0'
        'assembly System.Threading.RateLimiting NewApiSync net8.0'
    )
    $script:inDefault = @(
        'assembly NewApiSync.LoadContext Default net8.0'
        'assembly NewApiSync.PowerShell Default netstandard2.0'
    )

    function Assert-EngineIsolated {
        # Exactly one copy of each module assembly, the engine side in the NewApiSync context from bin/net8.0.
        param([string[]] $Output)

        @($Output | Where-Object { $_ -like 'assembly *' } | Sort-Object) | Should -Be @($inDefault + $isolated | Sort-Object)
    }
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Ways of importing' {
    It 'works by name from PSModulePath, by auto-loading and with -Prefix, from another working directory' {
        $modules = [System.IO.Path]::GetDirectoryName([System.IO.Path]::GetDirectoryName($manifest))
        $output = Invoke-FreshPwsh -Command @"
`$env:PSModulePath = '$modules' + [System.IO.Path]::PathSeparator + `$env:PSModulePath
Set-Location -Path ([System.IO.Path]::GetTempPath())
'auto-loaded ' + @(Get-NewApiChannel -Connection (Start-NewApiSandbox)).Count
Stop-NewApiSandbox
Remove-Module -Name NewApiSync
Import-Module -Name NewApiSync -Prefix Probe
'prefixed ' + @(Get-ProbeNewApiChannel -Connection (Start-ProbeNewApiSandbox)).Count
'type ' + [NewApiSync.Engine.Settings.SyncSettings]::new().Concurrency
Stop-ProbeNewApiSandbox
$listAssemblies
"@

        $output | Should -Contain 'auto-loaded 12'
        $output | Should -Contain 'prefixed 12'
        $output | Should -Contain 'type 2'
        Assert-EngineIsolated -Output $output
    }

    It 'imports again after Import-Module -Force twice and after Remove-Module' {
        $output = Invoke-FreshPwsh -Command @"
Import-Module -Name '$manifest'
Import-Module -Name '$manifest' -Force
Import-Module -Name '$manifest' -Force
'forced ' + @(Get-NewApiChannel -Connection (Start-NewApiSandbox)).Count
'forced type ' + [NewApiSync.Engine.Settings.SyncSettings]::new().Concurrency
Remove-Module -Name NewApiSync
Import-Module -Name '$manifest'
'reimported ' + @(Invoke-NewApiModelSync -Connection (Start-NewApiSandbox) -ErrorAction SilentlyContinue).Count
'reimported type ' + [NewApiSync.Engine.Settings.SyncSettings]::new().Concurrency
Stop-NewApiSandbox
$listAssemblies
"@

        $output | Should -Contain 'forced 12'
        $output | Should -Contain 'forced type 2'
        $output | Should -Contain 'reimported 12'
        $output | Should -Contain 'reimported type 2'
        Assert-EngineIsolated -Output $output
    }
}

Describe 'Other runspaces' {
    It 'serves ForEach-Object -Parallel runspaces, and one runspace''s Remove-Module leaves another working' {
        $output = Invoke-FreshPwsh -Command @"
Import-Module -Name '$manifest'
`$sandbox = Start-NewApiSandbox
1..2 | ForEach-Object -Parallel {
    Import-Module -Name '$manifest'
    'parallel ' + @(Get-NewApiChannel -Connection (Start-NewApiSandbox)).Count
    Remove-Module -Name NewApiSync
}
'parent ' + @(Invoke-NewApiModelSync -Connection `$sandbox -ErrorAction SilentlyContinue).Count
Stop-NewApiSandbox
$listAssemblies
"@

        @($output | Where-Object { $_ -eq 'parallel 12' }) | Should -HaveCount 2
        $output | Should -Contain 'parent 12'
        Assert-EngineIsolated -Output $output
    }
}

Describe 'Concurrent imports and removals' {
    It 'keeps every runspace''s import whole while others import and remove the module at the same time' {
        # The last removal takes the type accelerators away; a runspace importing meanwhile must keep them, and neither
        # may see the other change the list of them. A race, so many rounds: before the fix about two runs in three of
        # 300 rounds had a round fail ("Collection was modified" from Import-Module or Remove-Module).
        $output = Invoke-FreshPwsh -Command @"
`$rounds = 1..600 | ForEach-Object -ThrottleLimit 4 -Parallel {
    try {
        Import-Module -Name '$manifest' -ErrorAction Stop
        `$concurrency = try { [NewApiSync.Engine.Settings.SyncSettings]::new().Concurrency } catch { 'unresolved' }
        Remove-Module -Name NewApiSync -ErrorAction Stop
        'round type ' + `$concurrency
    } catch {
        'round error ' + `$_.Exception.Message
    }
}
`$rounds | Group-Object | ForEach-Object { '{0} x{1}' -f `$_.Name, `$_.Count }
"@

        $output | Should -Be @('round type 2 x600')
    }
}

Describe 'Enum parameters before any command has run' {
    It 'completes -SyncMode, -Kind and -Generation and binds them as before' {
        $output = Invoke-FreshPwsh -Command @"
Import-Module -Name '$manifest'
foreach (`$line in 'Invoke-NewApiModelSync -SyncMode ', 'Get-NewApiSyncHistory -Kind ', 'Start-NewApiSandbox -Generation ') {
    'complete ' + ((TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches.CompletionText -join ',')
}
try { Start-NewApiSandbox -Generation Newest } catch { 'invalid ' + `$_.FullyQualifiedErrorId }
'default generation ' + (Start-NewApiSandbox).Sandbox.Options.Generation
'legacy generation ' + (Start-NewApiSandbox -Generation legacy).Sandbox.Options.Generation
`$sandbox = Start-NewApiSandbox
Set-NewApiSyncSetting -SyncMode AddOnly -Connection `$sandbox
`$results = @(Invoke-NewApiModelSync -Connection `$sandbox -ErrorAction SilentlyContinue)
'removed ' + (@(`$results | ForEach-Object { `$_.RemovedModels }).Count) + ' pending ' + (@(`$results | ForEach-Object { `$_.PendingRemovals }).Count -gt 0)
'kind ' + @(Get-NewApiSyncHistory -Run -Kind sync -Connection `$sandbox).Count
Stop-NewApiSandbox
$listAssemblies
"@

        $output | Should -Contain 'complete AddOnly,Replace'
        $output | Should -Contain 'complete Clear,Redirect,Repair,Restore,Sync'
        $output | Should -Contain 'complete Legacy,Paged'
        $output | Should -Contain 'invalid CannotConvertArgumentNoMessage,NewApiSync.PowerShell.Commands.StartNewApiSandboxCommand'
        $output | Should -Contain 'default generation Paged'
        $output | Should -Contain 'legacy generation Legacy'
        # Without -SyncMode the saved AddOnly applies: nothing removed, removals reported as pending.
        $output | Should -Contain 'removed 0 pending True'
        $output | Should -Contain 'kind 1'
        Assert-EngineIsolated -Output $output
    }
}

Describe 'A damaged module folder' {
    It 'names a missing bin/net8.0/NewApiSync.LoadContext.dll and imports once the file is back' {
        # A copy of the module under a path with a space, missing the load context.
        $copy = Join-Path -Path $TestDrive -ChildPath 'with space'
        $null = New-Item -ItemType Directory -Path $copy
        $moduleFolder = [System.IO.Path]::GetDirectoryName($manifest)
        Copy-Item -LiteralPath $moduleFolder -Destination $copy -Recurse
        $copiedFolder = Join-Path -Path $copy -ChildPath (Split-Path -Path $moduleFolder -Leaf)
        $copiedManifest = Join-Path -Path $copiedFolder -ChildPath (Split-Path -Path $manifest -Leaf)
        $loadContext = Join-Path -Path $copiedFolder -ChildPath 'bin/net8.0/NewApiSync.LoadContext.dll'
        $saved = Join-Path -Path $TestDrive -ChildPath 'LoadContext.saved'
        Move-Item -LiteralPath $loadContext -Destination $saved

        $output = Invoke-FreshPwsh -Command @"
try { Import-Module -Name '$copiedManifest' -ErrorAction Stop; 'imported' } catch { 'error ' + `$_.FullyQualifiedErrorId; 'message ' + `$_.Exception.Message }
Copy-Item -LiteralPath '$saved' -Destination '$loadContext'
Import-Module -Name '$copiedManifest' -ErrorAction Stop
'repaired ' + @(Get-NewApiChannel -Connection (Start-NewApiSandbox)).Count
Stop-NewApiSandbox
$listAssemblies
"@

        $output | Should -Not -Contain 'imported'
        $output | Should -Contain 'error ModuleLoadContextUnavailable,Microsoft.PowerShell.Commands.ImportModuleCommand'
        $output | Should -Contain "message NewApiSync cannot reach its engine: '$loadContext' is missing."
        $output | Should -Contain 'repaired 12'
        Assert-EngineIsolated -Output $output
    }
}

Describe 'After Remove-Module' {
    It 'keeps the engine out of the default context when a command kept from before is read' {
        # Reading a CommandInfo resolves its OutputType attributes by name, through the default context: answered by
        # the load context even after the last Remove-Module, never by the netstandard2.0 engine beside the cmdlets.
        $output = Invoke-FreshPwsh -Command @"
Import-Module -Name '$manifest'
`$command = Get-Command -Name Invoke-NewApiModelSync
Remove-Module -Name NewApiSync
'parameters ' + (`$command.Parameters.Count -gt 0)
Import-Module -Name '$manifest'
`$results = @(Invoke-NewApiModelSync -Connection (Start-NewApiSandbox) -ErrorAction SilentlyContinue)
'synced ' + `$results.Count
'output type ' + (`$results[0] -is `$command.OutputType[0].Type)
Stop-NewApiSandbox
$listAssemblies
"@

        $output | Should -Contain 'parameters True'
        $output | Should -Contain 'synced 12'
        # One engine: the type the command declares is the type of what it returns.
        $output | Should -Contain 'output type True'
        Assert-EngineIsolated -Output $output
    }
}
