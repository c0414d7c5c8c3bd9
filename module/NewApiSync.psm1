# Loads the compiled cmdlets built for this edition of PowerShell:
# net8.0 for PowerShell 7.4+, netstandard2.0 for Windows PowerShell 5.1.
$framework = if ($PSEdition -eq 'Core') { 'net8.0' } else { 'netstandard2.0' }
$assembly = [System.IO.Path]::Combine($PSScriptRoot, 'bin', $framework, 'NewApiSync.PowerShell.dll')
$importModule = Get-Command -Name Import-Module -Module Microsoft.PowerShell.Core
& $importModule -Name $assembly -ErrorAction Stop
