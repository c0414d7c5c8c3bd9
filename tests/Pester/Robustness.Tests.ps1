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

Describe 'A pre-2025 server refusing NEWAPI_* credentials with 200 + success:false' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox -Arguments @{ Generation = 'Legacy' }
        Disconnect-NewApi
        $env:NEWAPI_BASE_URL = $sbx.BaseUrl
        $env:NEWAPI_ACCESS_TOKEN = 'wrong-token'
        $env:NEWAPI_USER_ID = '1'
    }
    AfterEach {
        Restore-NewApiEnvironment
        Stop-NewApiSandbox
    }

    It 'stops a sync with NewApiAuthenticationFailed and advice about NEWAPI_ACCESS_TOKEN' {
        $failure = Get-TerminatingError { Invoke-NewApiModelSync -Id 1, 2, 3 -ErrorAction SilentlyContinue }
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiAuthenticationFailed*'
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*NEWAPI_ACCESS_TOKEN*'
        $sbx.Sandbox.Updates | Should -HaveCount 0
    }

    It 'stops a whole-site sync with NewApiAuthenticationFailed' {
        $failure = Get-TerminatingError { Invoke-NewApiModelSync -ErrorAction SilentlyContinue }
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiAuthenticationFailed*'
    }

    It 'makes Get-NewApiChannel -Id 1 fail with NewApiAuthenticationFailed and keep the server''s text in English too' {
        $failure = Get-TerminatingError { Get-NewApiChannel -Id 1 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiAuthenticationFailed*'
        $failure.Exception.Message | Should -BeLike '*access token 无效*the access token is invalid*'
    }

    It 'explains a wrong user id in English as well as the server''s Chinese' {
        $env:NEWAPI_ACCESS_TOKEN = $sbx.Sandbox.AccessToken
        $env:NEWAPI_USER_ID = '2'
        $failure = Get-TerminatingError { Get-NewApiChannel -Id 1 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiAuthenticationFailed*'
        $failure.Exception.Message | Should -BeLike '*New-Api-User 与登录用户不匹配*is not the user who owns the access token*'
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*NEWAPI_USER_ID*'
    }
}

Describe 'Recommendations fit the cause' {
    AfterEach { Stop-NewApiSandbox }

    It 'Connect-NewApi to an address that is not a New API site suggests checking -BaseUrl, not a channel id' {
        $sbx = Start-NewApiTestSandbox
        $token = ConvertTo-TestSecureString -Text $sbx.Sandbox.AccessToken
        $failure = Get-TerminatingError { Connect-NewApi -BaseUrl "$($sbx.BaseUrl)/not-new-api" -AccessToken $token -UserId 1 }
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*-BaseUrl*'
        $failure.ErrorDetails.RecommendedAction | Should -Not -BeLike '*channel id*'
    }

    It 'Connect-NewApi timing out suggests -RequestTimeoutSec, which it has, not -ChannelTimeoutSec' {
        $sbx = Start-NewApiTestSandbox
        $fault = [NewApiSync.Sandbox.SandboxFault]::new('ListChannels', 'Delay', 1)
        $fault.Delay = [timespan]::FromSeconds(3)
        $null = $sbx.Sandbox.Faults.Add($fault)
        $token = ConvertTo-TestSecureString -Text $sbx.Sandbox.AccessToken
        $failure = Get-TerminatingError { Connect-NewApi -BaseUrl $sbx.BaseUrl -AccessToken $token -UserId 1 -RequestTimeoutSec 1 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiSiteUnreachable*'
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*-RequestTimeoutSec*'
        $failure.ErrorDetails.RecommendedAction | Should -Not -BeLike '*ChannelTimeoutSec*'
    }
}

Describe 'Messages show control and bidi characters escaped' {
    AfterEach { Stop-NewApiSandbox }

    It 'escapes a channel name with terminal escapes in its failure, and keeps the raw name on the record' {
        $sbx = Start-NewApiTestSandbox
        $evil = "evil`e]0;owned`a`u{202E}name"
        $null = $sbx.Sandbox.Site.Change(11, { param($channel) $channel.Name = $evil })
        $records = Invoke-NewApiModelSync -ErrorVariable failures -ErrorAction SilentlyContinue
        $failure = @($failures | Where-Object { $_.TargetObject.ChannelId -eq 11 })[0]
        $failure.ErrorDetails.Message | Should -BeLike '*evil\x1B]0;owned\x07\u202Ename*'
        $failure.ErrorDetails.Message | Should -Not -Match "[`e`a]"
        @($records | Where-Object { $_.ChannelId -eq 11 }).ChannelName | Should -Be $evil
    }
}

Describe 'Messages name the site, not its internal key' {
    AfterEach { Stop-NewApiSandbox }

    It 'Restore-NewApiChannel -RunId of an unknown run names the site by address and user' {
        $sbx = Start-NewApiTestSandbox
        $failure = Get-TerminatingError { Restore-NewApiChannel -RunId '20260101T000000000Z-abcdef' -WhatIf }
        $failure.Exception.Message | Should -BeLike "*$($sbx.BaseUrl) (user 1)*"
        $failure.Exception.Message | Should -Not -BeLike '*#1*'
    }
}

Describe 'Control characters in an access token are refused' {
    AfterEach {
        Restore-NewApiEnvironment
        Stop-NewApiSandbox
    }

    It 'Connect-NewApi refuses a token with CR/LF with InvalidAccessToken and does not echo it' {
        $sbx = Start-NewApiTestSandbox
        $text = "$($sbx.Sandbox.AccessToken)`r`nX-Injected: 1"
        $token = ConvertTo-TestSecureString -Text $text
        $failure = Get-TerminatingError { Connect-NewApi -BaseUrl $sbx.BaseUrl -AccessToken $token -UserId 1 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidAccessToken*'
        $failure.Exception.Message | Should -BeLike '*control character*'
        ($failure | Out-String) | Should -Not -BeLike "*$($sbx.Sandbox.AccessToken)*"
        @($sbx.Sandbox.Requests | Where-Object { $_.Headers.ContainsKey('x-injected') }) | Should -HaveCount 0
    }

    It 'NEWAPI_ACCESS_TOKEN with a line break inside is refused with NewApiConfigurationInvalid' {
        $sbx = Start-NewApiTestSandbox
        Disconnect-NewApi
        $env:NEWAPI_BASE_URL = $sbx.BaseUrl
        $env:NEWAPI_ACCESS_TOKEN = "$($sbx.Sandbox.AccessToken)`nX-Injected: 1"
        $env:NEWAPI_USER_ID = '1'
        $failure = Get-TerminatingError { Get-NewApiChannel }
        $failure.FullyQualifiedErrorId | Should -BeLike 'NewApiConfigurationInvalid*'
        $failure.Exception.Message | Should -BeLike '*NEWAPI_ACCESS_TOKEN*control character*'
        ($failure | Out-String) | Should -Not -BeLike "*$($sbx.Sandbox.AccessToken)*"
    }
}

Describe 'A damaged runs folder never stops the commands that read it' {
    BeforeAll {
        $script:sbx = Start-NewApiTestSandbox
        $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
        $script:runsDirectory = (Get-RunFile -Sandbox $sbx)[0].DirectoryName
        $script:goodRunId = (Get-RunFile -Sandbox $sbx)[0].BaseName
        # Newer-looking names than the real run, so each is read first.
        $script:symlinkName = '29990101T000000000Z-aaaaaa.jsonl'
        $script:fifoName = '29990101T000000000Z-bbbbbb.jsonl'
        $script:hugeName = '29990101T000000000Z-cccccc.jsonl'
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path -Path $runsDirectory -ChildPath $symlinkName) -Target '/dev/zero'
        & mkfifo (Join-Path -Path $runsDirectory -ChildPath $fifoName)
        # A run file over 2 GB: a header, then sparse NUL bytes (no disk space used).
        $header = (Get-Content -LiteralPath (Join-Path -Path $runsDirectory -ChildPath "$goodRunId.jsonl") -TotalCount 1) -replace $goodRunId, '29990101T000000000Z-cccccc'
        $hugePath = Join-Path -Path $runsDirectory -ChildPath $hugeName
        Set-Content -LiteralPath $hugePath -Value $header
        $stream = [System.IO.File]::Open($hugePath, 'Open', 'Write')
        try { $stream.SetLength($stream.Length + 2200000000L) } finally { $stream.Dispose() }
    }
    AfterAll { Stop-NewApiSandbox }

    It 'Get-NewApiSyncHistory -Run lists the real run and warns about each damaged file' {
        $runs = @(Get-NewApiSyncHistory -Run -WarningVariable warnings -WarningAction SilentlyContinue)
        $runs.RunId | Should -Contain $goodRunId
        $text = $warnings -join "`n"
        $text | Should -BeLike "*$symlinkName*symbolic link*"
        $text | Should -BeLike "*$fifoName*not a regular file*"
        $text | Should -BeLike "*$hugeName*longer than*"
    }

    It 'Invoke-NewApiModelSync -FailedOnly still finds the failed channel of the real run' {
        $records = @(Invoke-NewApiModelSync -FailedOnly -WhatIf -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        $records.ChannelId | Should -Contain 11
    }

    It 'Invoke-NewApiModelSync -IfDue completes without an error' {
        Set-NewApiSyncSetting -AutoSync $true -Interval ([timespan]::FromHours(6))
        { Invoke-NewApiModelSync -IfDue -WhatIf -WarningAction SilentlyContinue -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'Upstream model names New API cannot store are skipped' {
    AfterEach { Stop-NewApiSandbox }

    It 'syncs without the comma, newline, tab and over-long names, warns naming the channel, and is stable on the next run' {
        $sbx = Start-NewApiTestSandbox
        $sbx.Sandbox.Site.SetUpstream(1, [string[]] @('gpt-4o', 'a,b', "line`nbreak", "tab`there", ('m' * 513)))
        $null = Invoke-NewApiModelSync -Id 1 -WarningVariable warnings -WarningAction SilentlyContinue
        Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Be @('gpt-4o')
        ($warnings -join "`n") | Should -BeLike "*Channel '*' (#1): 4 upstream model name(s) skipped*'a,b' contains a comma*"
        $second = Invoke-NewApiModelSync -Id 1 -WarningAction SilentlyContinue
        $second.Changed | Should -BeFalse
    }

    It 'an upstream listing only blank names says it returned no models, not that a filter removed them' {
        $sbx = Start-NewApiTestSandbox
        $sbx.Sandbox.Site.SetUpstream(1, [string[]] @(' ', ''))
        $record = Invoke-NewApiModelSync -Id 1 -WarningAction SilentlyContinue
        $record.Status | Should -Be 'Skipped'
        $record.Reason | Should -Not -BeLike '*filtered out*'
        $record.Reason | Should -BeLike '*returned no models*'
    }
}

Describe 'Data folder, settings and parameter mistakes give a clear ErrorId and a recommendation' {
    BeforeEach {
        $script:savedData = $env:NEWAPISYNC_DATA
        $script:scratch = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath ("nas-robust-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $scratch
    }
    AfterEach {
        $env:NEWAPISYNC_DATA = $savedData
        Restore-NewApiEnvironment
        Stop-NewApiSandbox
        Remove-Item -LiteralPath $scratch -Recurse -Force
    }

    It 'NEWAPISYNC_DATA pointing at a file stops a sync with DataFolderUnusable naming the folder and the variable' {
        $sbx = Start-NewApiTestSandbox
        Disconnect-NewApi
        $file = Join-Path -Path $scratch -ChildPath 'not-a-folder'
        Set-Content -LiteralPath $file -Value 'x'
        $env:NEWAPISYNC_DATA = $file
        $env:NEWAPI_BASE_URL = $sbx.BaseUrl
        $env:NEWAPI_ACCESS_TOKEN = $sbx.Sandbox.AccessToken
        $env:NEWAPI_USER_ID = '1'
        $failure = Get-TerminatingError { Invoke-NewApiModelSync }
        $failure.FullyQualifiedErrorId | Should -BeLike 'DataFolderUnusable*'
        $failure.Exception.Message | Should -BeLike "*$file*NEWAPISYNC_DATA*is a file, not a folder*"
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*NEWAPISYNC_DATA*'
        $sbx.Sandbox.Updates | Should -HaveCount 0
    }

    It 'a data folder that cannot be created stops a sync with DataFolderUnusable before anything is written' {
        $sbx = Start-NewApiTestSandbox
        Disconnect-NewApi
        # Nothing can be created under /proc, not even by root: the folder is missing for good.
        $missing = '/proc/nas-robustness-missing/data'
        $env:NEWAPISYNC_DATA = $missing
        $env:NEWAPI_BASE_URL = $sbx.BaseUrl
        $env:NEWAPI_ACCESS_TOKEN = $sbx.Sandbox.AccessToken
        $env:NEWAPI_USER_ID = '1'
        $failure = Get-TerminatingError { Invoke-NewApiModelSync }
        $failure.FullyQualifiedErrorId | Should -BeLike 'DataFolderUnusable*'
        $failure.Exception.Message | Should -BeLike "*$missing*NEWAPISYNC_DATA*"
        $sbx.Sandbox.Updates | Should -HaveCount 0
    }

    It 'Set-NewApiSyncSetting with NEWAPISYNC_DATA pointing at a file gives DataFolderUnusable, not a raw IOException' {
        $file = Join-Path -Path $scratch -ChildPath 'not-a-folder'
        Set-Content -LiteralPath $file -Value 'x'
        $env:NEWAPISYNC_DATA = $file
        $failure = Get-TerminatingError { Set-NewApiSyncSetting -Concurrency 2 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'DataFolderUnusable*'
    }

    It 'settings.json being a folder gives SettingsFileInvalid naming it' {
        $env:NEWAPISYNC_DATA = $scratch
        $null = New-Item -ItemType Directory -Path (Join-Path -Path $scratch -ChildPath 'settings.json')
        $failure = Get-TerminatingError { Get-NewApiSyncSetting }
        $failure.FullyQualifiedErrorId | Should -BeLike 'SettingsFileInvalid*'
        $failure.Exception.Message | Should -BeLike '*settings.json* is a folder, not a settings file*'
    }

    It 'Get-NewApiChannel -Name ''['' is refused up front with InvalidWildcardPattern' {
        $sbx = Start-NewApiTestSandbox
        $sbx.Sandbox.ClearRequests()
        $failure = Get-TerminatingError { Get-NewApiChannel -Name '[' }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidWildcardPattern*'
        $failure.ErrorDetails.RecommendedAction | Should -BeLike '*`[*'
        $sbx.Sandbox.Requests | Should -HaveCount 0
    }

    It 'Get-NewApiSyncHistory -Since ([datetime]::MinValue) returns the history instead of failing' {
        $sbx = Start-NewApiTestSandbox
        $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
        @(Get-NewApiSyncHistory -Run -Since ([datetime]::MinValue)) | Should -HaveCount 1
    }

    It 'a bad model pattern names the problem without "(Parameter ''pattern'')"' {
        $sbx = Start-NewApiTestSandbox
        $failure = Get-TerminatingError { Invoke-NewApiModelSync -IncludeModel 'gpt-[4' -WhatIf }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidModelPattern*'
        $failure.Exception.Message | Should -BeLike '*''gpt-`[4''*without a closing*'
        $failure.Exception.Message | Should -Not -BeLike '*(Parameter*'
    }
}

Describe 'Enum-like parameters ignore case' {
    BeforeAll {
        $script:sbx = Start-NewApiTestSandbox
        $null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue
    }
    AfterAll { Stop-NewApiSandbox }

    It 'Get-NewApiSyncHistory -Status <Status>' -ForEach @(
        @{ Status = 'failed'; Expected = @(11) }
        @{ Status = 'FAILED'; Expected = @(11) }
        @{ Status = 'all'; Expected = 1..12 }
    ) {
        @(Get-NewApiSyncHistory -Status $Status | ForEach-Object -MemberName ChannelId | Sort-Object) | Should -Be $Expected
    }

    It 'Get-NewApiSyncHistory -Kind sync' {
        @(Get-NewApiSyncHistory -Run -Kind 'sync') | Should -HaveCount 1
    }
}
