# Shared by the NewApiSync Pester tests: dot-source it in BeforeAll.
#   BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1'); Import-NewApiSyncTestModule }
# Runs on PowerShell 7.4+ and Windows PowerShell 5.1 with Pester 5.

function Get-NewApiSyncTestModulePath {
    # $env:NEWAPISYNC_MODULE (CI, an installed copy) wins; else the build output: out/NewApiSync under the repo root.
    if ($env:NEWAPISYNC_MODULE) {
        return $env:NEWAPISYNC_MODULE
    }

    $repositoryRoot = Split-Path -Path (Split-Path -Path $PSScriptRoot -Parent) -Parent
    return [System.IO.Path]::Combine($repositoryRoot, 'out', 'NewApiSync', 'NewApiSync.psd1')
}

function Import-NewApiSyncTestModule {
    Import-Module -Name (Get-NewApiSyncTestModulePath) -ErrorAction Stop
}

function Start-NewApiTestSandbox {
    # A fresh sample sandbox (12 channels, its own data folder) with fast, short retries so failures do not wait.
    param([hashtable] $Arguments = @{})

    $sandbox = Start-NewApiSandbox @Arguments
    Set-NewApiSyncSetting -MaxRetries 1 -RequestsPerMinute 6000 -Burst 100 -Connection $sandbox
    $sandbox
}

function Get-NewApiTestRun {
    # The journaled runs of the sandbox's site (a -WhatIf run leaves none).
    param([Parameter(Mandatory)] $Sandbox)

    @([NewApiSync.Engine.Journal.SyncJournal]::ForSite($Sandbox.DataDirectory, $Sandbox.BaseUrl, $Sandbox.UserId).ReadRuns())
}

function Get-TerminatingError {
    # Runs the script block and returns the error that stopped it (statement- or script-terminating), else $null.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)

    try {
        $null = & $ScriptBlock
    }
    catch {
        return $_
    }

    return $null
}

function Get-SandboxModel {
    # The stored models of a sandbox channel, as a list.
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [int] $Id)

    @($Sandbox.Sandbox.Site.Get($Id).Models -split ',')
}
