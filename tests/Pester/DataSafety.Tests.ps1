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

Describe 'Writes are planned on a fresh read and have an undo record first' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        $script:sample = Get-SiteSnapshot -Sandbox $sbx
        $script:otherAdminMapping = '{"gpt-4o":"openai/gpt-4o:free","my-alias":"openai/gpt-4o:free"}'
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    It 'keeps an alias another admin adds while the upstream is fetched, and says it planned again' {
        $fault = [NewApiSync.Sandbox.SandboxFault]::new('FetchModels', 'ChangeChannel')
        $fault.ChannelId = 6
        $fault.SetModels = 'openai/gpt-4o:free,gpt-4o,my-alias'
        $fault.SetModelMapping = $otherAdminMapping
        $null = $sbx.Sandbox.Faults.Add($fault)

        $result = Invoke-NewApiModelSync -Id 6
        $result.Replanned | Should -BeTrue
        $result.Reason | Should -Match 'changed after it was first read'
        $result.OldModels | Should -Contain 'my-alias'
        Get-SandboxModel -Sandbox $sbx -Id 6 | Should -Contain 'my-alias'
    }

    It 'a clear of a stale piped channel followed by a restore brings back an entry added in between' {
        $stale = Get-NewApiChannel -Id 6
        $null = $sbx.Sandbox.Site.Change(6, [System.Action[NewApiSync.Sandbox.SandboxChannel]] {
                param($channel)
                $channel.Models = 'openai/gpt-4o:free,gpt-4o,my-alias'
                $channel.ModelMapping = '{"gpt-4o":"openai/gpt-4o:free","my-alias":"openai/gpt-4o:free"}'
            })

        $cleared = $stale | Clear-NewApiModelRedirect -Confirm:$false
        $cleared.Status | Should -Be 'Cleared'
        $restored = Get-NewApiSyncHistory -Kind Clear | Restore-NewApiChannel -Confirm:$false
        $restored.Changed | Should -BeTrue
        $sbx.Sandbox.Site.Get(6).ModelMapping | Should -BeExactly $otherAdminMapping
        $sbx.Sandbox.Site.Get(6).Models | Should -BeExactly 'openai/gpt-4o:free,gpt-4o,my-alias'
    }

    It 'a write applied but answered success:false is kept as MayHaveWritten and Restore-NewApiChannel undoes it' {
        $fault = [NewApiSync.Sandbox.SandboxFault]::new('UpdateChannel', 'SuccessFalseAfterWrite', 5)
        $fault.ChannelId = 1
        $null = $sbx.Sandbox.Faults.Add($fault)

        $result = Invoke-NewApiModelSync -Id 1 -ErrorVariable syncErrors -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $result.MayHaveWritten | Should -BeTrue
        $result.NewModels | Should -Be (Get-SandboxModel -Sandbox $sbx -Id 1)
        $syncErrors[0].FullyQualifiedErrorId | Should -Match '^ChannelSyncFailed'
        # The list view says so; a record whose write is known never shows the line.
        ($result | Format-List | Out-String -Width 200) | Should -Match 'MayHaveWritten\s*:\s*True'
        $known = [NewApiSync.Engine.Results.NewApiSyncResult]@{ ChannelId = 1; Status = 'Succeeded'; Changed = $true }
        ($known | Format-List | Out-String -Width 200) | Should -Not -Match 'MayHaveWritten|Replanned'

        $sbx.Sandbox.Faults.Clear()
        $restored = Get-NewApiSyncHistory | Restore-NewApiChannel -Confirm:$false
        $restored.Changed | Should -BeTrue
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $sample
    }

    It 'a journal that cannot be written stops the run with JournalUnwritable and writes nothing' {
        $journal = [NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, $sbx.UserId)
        $null = New-Item -ItemType Directory -Path $journal.SiteDirectory -Force
        Set-Content -LiteralPath $journal.RunsDirectory -Value 'a file where the runs folder belongs'

        $Error.Clear()
        $caught = Get-TerminatingError { Invoke-NewApiModelSync }
        $caught.FullyQualifiedErrorId | Should -Match '^JournalUnwritable'
        # One error for the run: every channel that reached its write met the same refusal and writes none of its own.
        @($Error | Where-Object { $_.FullyQualifiedErrorId -like 'ChannelSyncFailed*' }) | Should -HaveCount 0
        $caught.Exception.Message | Should -Match ([regex]::Escape($journal.RunsDirectory))
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $sample
    }
}

Describe 'One lock and one history per site, whatever its spelling' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        $script:sample = Get-SiteSnapshot -Sandbox $sbx
        $hostname = $sbx.BaseUrl -replace '127\.0\.0\.1', 'localhost'
        $script:byName = [NewApiSync.Engine.Api.NewApiConnection]::new($hostname + '/', (ConvertTo-TestSecureString -Text $sbx.Sandbox.AccessToken), $sbx.UserId)
        $byName.DataDirectory = $sbx.DataDirectory
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    It 'an IP and a hostname for one sandbox share the history, and a run of one spelling is restored through the other' {
        $sbx.BaseUrl | Should -Match '127\.0\.0\.1'
        $null = Invoke-NewApiModelSync -Id 1
        $null = Invoke-NewApiModelSync -Id 2 -Connection $byName
        @(Get-NewApiSyncHistory -Run -Connection $byName) | Should -HaveCount 2
        @(Get-NewApiSyncHistory -Run) | Should -HaveCount 2

        $restored = Get-NewApiSyncHistory -Last 2 | Restore-NewApiChannel -Connection $byName -Confirm:$false
        @($restored | Where-Object Changed) | Should -HaveCount 2
        Get-SiteSnapshot -Sandbox $sbx | Should -Be $sample
    }

    It 'a run through the hostname is refused while a run through the IP holds the site' {
        $held = [NewApiSync.Engine.Journal.SiteRunLock]::TryAcquire($sbx.DataDirectory, $sbx.BaseUrl, $sbx.UserId, [timespan]::Zero, [System.Threading.CancellationToken]::None, 'sync run')
        try {
            $caught = Get-TerminatingError { Invoke-NewApiModelSync -Connection $byName }
            $caught.FullyQualifiedErrorId | Should -Match '^RunInProgress'
        }
        finally {
            $held.Dispose()
        }

        Get-SiteSnapshot -Sandbox $sbx | Should -Be $sample
    }
}

Describe 'The shrink guard' {
    BeforeEach {
        $script:sbx = Start-NewApiTestSandbox
        $script:many = 1..51 | ForEach-Object { 'model-{0:D2}' -f $_ }
        $joined = $many -join ','
        $null = $sbx.Sandbox.Site.Change(1, [System.Action[NewApiSync.Sandbox.SandboxChannel]] { param($channel) $channel.Models = $joined }.GetNewClosure())
        $sbx.Sandbox.Site.SetUpstream(1, [string[]] @('model-01'))
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    It 'holds a channel whose upstream lists 1 of its 51 models' {
        $result = Invoke-NewApiModelSync -Id 1
        $result.Status | Should -Be 'Skipped'
        $result.Changed | Should -BeFalse
        $result.Reason | Should -Match 'upstream lists 1 of 51 models'
        $result.Reason | Should -Match '-Force'
        Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Be $many
    }

    It 'applies it with -Force' {
        $result = Invoke-NewApiModelSync -Id 1 -Force
        $result.Changed | Should -BeTrue
        Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Be @('model-01')
    }

    It 'applies it when the threshold is raised (<Name>)' -TestCases @(
        @{ Name = 'parameter'; UseSetting = $false }
        @{ Name = 'setting'; UseSetting = $true }
    ) {
        if ($UseSetting) {
            Set-NewApiSyncSetting -ShrinkGuardPercent 100
            $result = Invoke-NewApiModelSync -Id 1
        }
        else {
            $result = Invoke-NewApiModelSync -Id 1 -ShrinkGuardPercent 100
        }

        $result.Changed | Should -BeTrue
        Get-SandboxModel -Sandbox $sbx -Id 1 | Should -Be @('model-01')
    }
}
