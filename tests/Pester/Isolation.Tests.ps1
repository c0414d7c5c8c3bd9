#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The module's inside as a user meets it: its dependencies in a load context of their own (another module's Polly.Core
# never collides with ours), its types still usable by name, and a Remove-Module that leaves nothing running. Each
# case runs in a fresh pwsh process, because what matters is what was loaded first.

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:manifest = Get-NewApiSyncTestModulePath
    $script:otherPolly = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'out', 'fixtures', 'OtherPolly', 'OtherPolly.psm1'))
    # Loaded NewApiSync and Polly assemblies of the child process, as "name file-version load-context" lines.
    $script:listAssemblies = @'
[System.AppDomain]::CurrentDomain.GetAssemblies() |
    Where-Object { $_.GetName().Name -match '^(Polly\.Core|System\.Threading\.RateLimiting|NewApiSync\..+)$' } |
    ForEach-Object { 'assembly {0} {1} {2}' -f $_.GetName().Name, [System.Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).FileVersion, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name }
'@
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Dependency isolation' {
    It 'finds the fixture module that ships Polly.Core 8.4.2' {
        Test-Path -LiteralPath $otherPolly | Should -BeTrue
    }

    It 'syncs a sandbox and leaves the other module working when <First> is imported first' -TestCases @(
        @{ First = 'the other module'; Order = @('other', 'ours') }
        @{ First = 'NewApiSync'; Order = @('ours', 'other') }
    ) {
        $imports = foreach ($module in $Order) {
            if ($module -eq 'ours') { "Import-Module -Name '$manifest'" } else { "Import-Module -Name '$otherPolly'" }
        }

        $output = Invoke-FreshPwsh -Command @"
`$ErrorActionPreference = 'Stop'
$($imports -join "`n")
`$null = Start-NewApiSandbox
`$results = @(Invoke-NewApiModelSync -ErrorAction SilentlyContinue)
'synced {0} changed {1}' -f `$results.Count, @(`$results | Where-Object Changed).Count
'other-polly ' + (Get-OtherPollyVersion)
'other-retry ' + (Invoke-OtherPollyRetry { 41 + 1 })
Stop-NewApiSandbox
$listAssemblies
"@

        $output | Should -Contain 'synced 12 changed 11'
        $output | Should -Contain 'other-polly 8.4.2.3950'
        $output | Should -Contain 'other-retry 42'
        # Two copies side by side: the other module's in the default context, ours in NewApiSync's.
        $output | Should -Contain 'assembly Polly.Core 8.4.2.3950 Default'
        @($output | Where-Object { $_ -like 'assembly Polly.Core 8.9.1.* NewApiSync' }) | Should -HaveCount 1
        @($output | Where-Object { $_ -like 'assembly NewApiSync.Engine * NewApiSync' }) | Should -HaveCount 1
        @($output | Where-Object { $_ -like 'assembly System.Threading.RateLimiting * NewApiSync' }) | Should -HaveCount 1
        @($output | Where-Object { $_ -like 'assembly NewApiSync.Sandbox * NewApiSync' }) | Should -HaveCount 1
        # Only the cmdlets (the manifest's nested module) and the small load context enter the default context.
        @($output | Where-Object { $_ -like 'assembly NewApiSync.* Default' } | ForEach-Object { ($_ -split ' ')[1] } | Sort-Object) |
            Should -Be @('NewApiSync.LoadContext', 'NewApiSync.PowerShell')
    }

    It 'keeps the module''s types usable by name in scripts' {
        $output = Invoke-FreshPwsh -Command @"
Import-Module -Name '$manifest'
'settings ' + [NewApiSync.Engine.Settings.SyncSettings]::new().Concurrency
'is ' + ((Start-NewApiSandbox) -is [NewApiSync.Engine.Api.NewApiConnection])
Stop-NewApiSandbox
"@

        $output | Should -Contain 'settings 2'
        $output | Should -Contain 'is True'
    }
}

Describe 'Remove-Module' {
    It 'stops the sandbox: its port closes and its throwaway folder goes' {
        $output = Invoke-FreshPwsh -Command @"
Import-Module -Name '$manifest'
`$sandbox = Start-NewApiSandbox
`$port = ([uri]`$sandbox.BaseUrl).Port
'folder-before ' + (Test-Path -LiteralPath `$sandbox.DataDirectory)
Remove-Module -Name NewApiSync
'folder-after ' + (Test-Path -LiteralPath `$sandbox.DataDirectory)
`$client = [System.Net.Sockets.TcpClient]::new()
try { `$client.Connect('127.0.0.1', `$port); 'port open' } catch { 'port closed' } finally { `$client.Dispose() }
Import-Module -Name '$manifest'
'reimported ' + @(Get-Command -Module NewApiSync).Count
"@

        $output | Should -Contain 'folder-before True'
        $output | Should -Contain 'folder-after False'
        $output | Should -Contain 'port closed'
        @($output | Where-Object { $_ -match '^reimported (\d+)$' -and [int]$Matches[1] -ge 14 }) | Should -HaveCount 1
    }
}

Describe 'Import-Module -Force' {
    It 'brings every command back when the module is imported again' {
        # -Force replaces the module while the old cmdlet module is still in the session's module table.
        $output = Invoke-FreshPwsh -Command @"
Import-Module -Name '$manifest'
'first ' + @(Get-Command -Module NewApiSync).Count
Import-Module -Name '$manifest' -Force
'forced ' + @(Get-Command -Module NewApiSync).Count
'sandbox ' + @(Get-NewApiChannel -Connection (Start-NewApiSandbox)).Count
Stop-NewApiSandbox
"@

        $first = @($output | Where-Object { $_ -like 'first *' })
        $first | Should -HaveCount 1
        $first[0] | Should -Not -Be 'first 0'
        $output | Should -Contain ($first[0] -replace '^first', 'forced')
        $output | Should -Contain 'sandbox 12'
    }
}
