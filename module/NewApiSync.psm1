# Loads the compiled cmdlets built for this edition of PowerShell; any failure here fails Import-Module.
$ErrorActionPreference = 'Stop'
if ($PSEdition -eq 'Core') {
    # PowerShell 7.4+: the cmdlets, the engine and their dependencies live in a load context of their own
    # (src/NewApiSync.LoadContext), so other modules' versions of Polly.Core or System.Threading.RateLimiting never
    # collide with ours. Only the small loader assembly enters the default context (loading the same file again, as
    # Import-Module -Force does, returns the assembly already loaded).
    $loader = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0', 'NewApiSync.LoadContext.dll'))
    $loadContext = $loader.GetType('NewApiSync.LoadContext.ModuleLoadContext', $true)
    $reload = $loadContext::CmdletAssemblyLoaded
    $cmdletAssembly = $loadContext::LoadCmdletAssembly()
    if ($reload) {
        # Import-Module -Assembly imports nothing when the session's module table still holds that assembly, which it
        # does while Import-Module -Force replaces this module: the old cmdlet module goes first, so -Force brings
        # every command. Only a reload pays for this look-up.
        Get-Module -All | Where-Object { $_.Path -eq $cmdletAssembly.Location } | Remove-Module -Force
    }

    # Module-qualified, so a proxy function named Import-Module in the session cannot intercept the load.
    Microsoft.PowerShell.Core\Import-Module -Assembly $cmdletAssembly
} else {
    # Windows PowerShell 5.1 has one load context; ModuleInitializer resolves our dependencies for our assemblies only.
    Microsoft.PowerShell.Core\Import-Module -Name ([System.IO.Path]::Combine($PSScriptRoot, 'bin', 'netstandard2.0', 'NewApiSync.PowerShell.dll'))
}
