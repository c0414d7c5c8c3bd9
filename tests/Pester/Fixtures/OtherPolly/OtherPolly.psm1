# Stands in for another module on an admin's machine that ships its own, older Polly.Core (8.4.2) and loads it into
# PowerShell's default load context. Isolation.Tests.ps1 imports it before and after NewApiSync.
Add-Type -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Polly.Core.dll')

function Invoke-OtherPollyRetry {
    # Runs a script block through a Polly retry pipeline built from this module's Polly.Core; returns its result.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)

    $options = [Polly.Retry.RetryStrategyOptions]::new()
    $options.MaxRetryAttempts = 2
    $options.Delay = [TimeSpan]::Zero
    $builder = [Polly.ResiliencePipelineBuilder]::new()
    $pipeline = [Polly.RetryResiliencePipelineBuilderExtensions]::AddRetry($builder, $options).Build()
    $pipeline.Execute([Func[object]] { & $ScriptBlock })
}

function Get-OtherPollyVersion {
    # The file version of the Polly.Core this module loaded.
    [System.Diagnostics.FileVersionInfo]::GetVersionInfo([Polly.ResiliencePipeline].Assembly.Location).FileVersion
}

Export-ModuleMember -Function Invoke-OtherPollyRetry, Get-OtherPollyVersion
