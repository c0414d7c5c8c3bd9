#Requires -Version 7.4
# Pester 5 tests of the data-safety guarantees (issue 11) as an administrator meets them, against the sample sandbox:
# a pipeline decides the targets, writes are planned on a fresh read, every write has an undo record on disk before it
# is sent, one lock and one history per site whatever its spelling, and the shrink guard.
# Run: Invoke-Pester ./tests/Pester/DataSafety.Tests.ps1   (after: dotnet build NewApiSync.PS.sln -c Release)

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest

    # Every channel's models and mapping, to prove a command changed nothing.
    function Get-SiteSnapshot {
        param([Parameter(Mandatory)] $Sandbox)
        @($Sandbox.Sandbox.Site.Snapshot() | ForEach-Object { '{0}|{1}|{2}' -f $_.Id, $_.Models, $_.ModelMapping })
    }
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'A pipeline decides the targets' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        $script:before = Get-SiteSnapshot -Sandbox $sbx
        $sbx.Sandbox.ClearRequests()
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    It '<Command> with an empty pipeline warns, reads, writes and journals nothing' -TestCases @(
        @{ Command = 'Invoke-NewApiModelSync'; Arguments = @{} }
        @{ Command = 'New-NewApiModelRedirect'; Arguments = @{} }
        @{ Command = 'Clear-NewApiModelRedirect'; Arguments = @{ Confirm = $false } }
    ) {
        $output = Get-NewApiChannel -Name 'typo*' | & $Command @Arguments -WarningVariable warnings -WarningAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        "$warnings" | Should -Match 'No channel came down the pipeline'
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $before
        @($sbx.Sandbox.Requests | Where-Object Route -NE 'ListChannels') | Should -HaveCount 0
        @(Get-NewApiTestRun -Sandbox $sbx) | Should -HaveCount 0
    }

    It 'history records of a run without failures sync nothing (Get-NewApiSyncHistory -Status Failed | Invoke-NewApiModelSync)' {
        $null = Invoke-NewApiModelSync -Id 1
        $before = Get-SiteSnapshot -Sandbox $sbx
        $output = Get-NewApiSyncHistory -Status Failed | Invoke-NewApiModelSync -WarningVariable warnings -WarningAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        "$warnings" | Should -Match 'No channel came down the pipeline'
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $before
        @(Get-NewApiTestRun -Sandbox $sbx) | Should -HaveCount 1
    }

    It 'objects that fail to bind get their binding error and nothing else (<Name>)' -TestCases @(
        @{ Name = 'a string'; Value = 'abc' }
        @{ Name = 'a number'; Value = 5000 }
        @{ Name = 'null'; Value = $null }
    ) {
        $output = $Value | New-NewApiModelRedirect -ErrorVariable bindingErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        @($bindingErrors) | Should -HaveCount 1
        $bindingErrors[0].FullyQualifiedErrorId | Should -Match 'InputObjectNotBound|ParameterArgumentValidationError|AmbiguousParameterSet'
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $before
        @(Get-NewApiTestRun -Sandbox $sbx) | Should -HaveCount 0
    }

    It 'standard models piped into New-NewApiModelRedirect redirect nothing' {
        $null = Get-NewApiStandardModel -Vendor Anthropic | New-NewApiModelRedirect -ErrorVariable bindingErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        @($bindingErrors).Count | Should -BeGreaterThan 0
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $before
        @(Get-NewApiTestRun -Sandbox $sbx) | Should -HaveCount 0
    }

    It 'a filtered pipeline touches only the channels that came down it' {
        $results = @(Get-NewApiChannel -Name 'OpenRouter*' | Invoke-NewApiModelSync -IncludeModel 'gpt-*')
        $results.ChannelId | Should -Be @(6)
        $after = Get-SiteSnapshot -Sandbox $sbx
        @($after | Where-Object { $_ -notlike '6|*' }) | Should -Be @($before | Where-Object { $_ -notlike '6|*' })
    }

    It 'Restore-NewApiChannel with an empty pipeline warns and restores nothing' {
        $null = Invoke-NewApiModelSync -Id 1
        $before = Get-SiteSnapshot -Sandbox $sbx
        $output = Get-NewApiSyncHistory -Status Failed | Restore-NewApiChannel -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        "$warnings" | Should -Match 'No journal record came down the pipeline'
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $before
    }

    It 'without a pipeline and without -Id the whole site is still the target' {
        $results = @(Invoke-NewApiModelSync -ErrorAction SilentlyContinue)
        $results | Should -HaveCount 12
    }
}
