@{
    # The cmdlets: one netstandard2.0 assembly for both editions (src/NewApiSync.PowerShell/Internal/ModuleInitializer.cs).
    # A nested module rather than the root module: PowerShell imports a manifest with a binary root module about 15 ms
    # more slowly (docs/benchmarks.md, Import).
    NestedModules          = @('bin/netstandard2.0/NewApiSync.PowerShell.dll')
    # The one place the module version lives: MSBuild reads it for every assembly.
    ModuleVersion          = '0.1.0'
    GUID                   = '5f0c7a52-3b8e-4d2a-9a51-6c0e2d7b4f31'
    Author                 = 'NewApiSync contributors'
    CompanyName            = 'NewApiSync'
    Copyright              = '(c) NewApiSync contributors. MIT License.'
    Description            = 'Keeps the model lists of New API (QuantumNous/new-api) channels in line with their upstream providers, journals every change so it can be searched and undone, and maps standard model names to each channel''s actual models.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('NewApiSync.Format.ps1xml')
    FunctionsToExport      = @()
    CmdletsToExport        = @(
        'Connect-NewApi'
        'Disconnect-NewApi'
        'Get-NewApiChannel'
        'Start-NewApiSandbox'
        'Stop-NewApiSandbox'
        'Invoke-NewApiModelSync'
        'Start-NewApiAutoSync'
        'Get-NewApiSyncSetting'
        'Set-NewApiSyncSetting'
        'Get-NewApiSyncHistory'
        'Restore-NewApiChannel'
        'New-NewApiModelRedirect'
        'Clear-NewApiModelRedirect'
        'Test-NewApiModelRedirect'
        'Get-NewApiStandardModel'
    )
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('NewAPI', 'new-api', 'LLM', 'OpenAI', 'gateway', 'channels', 'models', 'sync', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/NewApiSync/NewApiSync'
            LicenseUri   = 'https://github.com/NewApiSync/NewApiSync/blob/main/LICENSE'
            ReleaseNotes = '0.1.0: first release. Connect to a New API site (or a local sandbox), list channels, sync each channel''s model list with its upstream (rate-limited, concurrent, retried, previewable, resumable), map standard model names to actual models, and journal every change so it can be searched and undone. Full release notes: https://github.com/NewApiSync/NewApiSync/blob/main/CHANGELOG.md'
        }
    }
}
