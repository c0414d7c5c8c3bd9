#Requires -Version 7.4
# Pester 5 tests of how the commands hold up against hostile servers, tight rate limits and damaged data folders.
# Run: Invoke-Pester ./tests/Pester/Robustness.Tests.ps1   (after: dotnet build NewApiSync.PS.sln -c Release)

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest

    # The run files of the sandbox's site, newest first.
    function Get-RunFile {
        param([Parameter(Mandatory)] $Sandbox)
        $journal = [NewApiSync.Engine.Journal.SyncJournal]::ForSite($Sandbox.DataDirectory, $Sandbox.BaseUrl, $Sandbox.UserId)
        @(Get-ChildItem -LiteralPath $journal.RunsDirectory -Filter '*.jsonl' | Sort-Object -Property Name -Descending)
    }

    # Replaces line $Number (1-based) of a run file with $Text.
    function Set-RunFileLine {
        param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int] $Number, [Parameter(Mandatory)] [string] $Text)
        $lines = [System.IO.File]::ReadAllLines($Path)
        $lines[$Number - 1] = $Text
        [System.IO.File]::WriteAllLines($Path, $lines)
    }
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
    Get-Module -Name NewApiSync | Remove-Module -Force
}

Describe 'Journal warnings reach every command that reads the journal' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        # Two sync runs; channel 11 (expired key) fails in each.
        $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
        $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
    }
    AfterEach { Stop-NewApiSandbox }

    It 'Invoke-NewApiModelSync -FailedOnly warns that the newest run header is damaged' {
        $newest = (Get-RunFile -Sandbox $sbx)[0]
        Set-RunFileLine -Path $newest.FullName -Number 1 -Text '{"type":"run-start", broken'
        $null = Invoke-NewApiModelSync -FailedOnly -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        ($warnings -join "`n") | Should -BeLike "*$($newest.Name)*run-start line cannot be read*"
    }

    It 'Invoke-NewApiModelSync -IfDue warns about a damaged run file' {
        Set-NewApiSyncSetting -AutoSync $true -Interval ([timespan]::FromHours(1))
        $newest = (Get-RunFile -Sandbox $sbx)[0]
        Set-RunFileLine -Path $newest.FullName -Number 1 -Text 'not json'
        $null = Invoke-NewApiModelSync -IfDue -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        ($warnings -join "`n") | Should -BeLike "*$($newest.Name)*cannot be read*"
    }

    It 'Restore-NewApiChannel -RunId warns about an unreadable record instead of printing nothing' {
        $newest = (Get-RunFile -Sandbox $sbx)[0]
        $runId = $newest.BaseName
        $lines = [System.IO.File]::ReadAllLines($newest.FullName)
        # Keep the header, damage every channel line.
        $damaged = @($lines[0]) + @($lines | Select-Object -Skip 1 | ForEach-Object { '{"type":"channel", oops' })
        [System.IO.File]::WriteAllLines($newest.FullName, [string[]] $damaged)
        $null = Restore-NewApiChannel -RunId $runId -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue
        ($warnings -join "`n") | Should -BeLike "*$($newest.Name)* line 2 cannot be read*"
    }
}

Describe 'The channel listing does not trust the server''s total' {
    AfterEach { Stop-NewApiSandbox }

    It 'lists all 250 channels when the server reports a total of <Total>' -ForEach @(
        @{ Total = 5 }
        @{ Total = 0 }
        @{ Total = -1 }
    ) {
        $sbx = Start-NewApiTestSandbox -Arguments @{ ChannelCount = 250; ModelsPerChannel = 2 }
        $sbx.Sandbox.Options.ReportedTotal = $Total
        @(Get-NewApiChannel) | Should -HaveCount 250
    }

    It 'journals a full sync of all 250 channels when the server reports a total of 5' {
        $sbx = Start-NewApiTestSandbox -Arguments @{ ChannelCount = 250; ModelsPerChannel = 2 }
        $sbx.Sandbox.Options.ReportedTotal = 5
        $null = Invoke-NewApiModelSync -Concurrency 8
        $run = Get-NewApiSyncHistory -Run -Last 1
        $run.Total | Should -Be 250
        $run.Succeeded | Should -Be 250
    }

    It 'stops a server that never stops paging at 100,000 channels with a clear error' {
        $sbx = Start-NewApiTestSandbox
        $sbx.Sandbox.Options.EndlessChannelList = $true
        $failure = Get-TerminatingError { Get-NewApiChannel }
        $failure.FullyQualifiedErrorId | Should -BeLike 'CannotListChannels*'
        $failure.Exception.Message | Should -BeLike '*more than 100,000 channels*'
    }
}
