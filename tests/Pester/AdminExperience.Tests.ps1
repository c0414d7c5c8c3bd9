#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What a PowerShell admin sees (issue 13, and issue 12 item 7): filterable previews, tables that keep the cause at 80 and
# 120 columns, honest counts, schedules that speak up, progress, help syntax, exports and the polish items (the Ctrl+C
# warning and prompt answers are host observations, tested in the hosted SyncCommandTests and HistoryCommandTests).
# Runs against the sample sandbox (12 channels; channel 11's upstream refuses with a 401, 8 and 12 are disabled).

BeforeDiscovery {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $commandNames = @((Import-PowerShellDataFile -LiteralPath (Get-NewApiSyncTestModulePath)).CmdletsToExport | Sort-Object)
}

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    # Views are checked as text: no ANSI styling from $PSStyle (PowerShell 7.2+) in the rendered tables, only what the data brings.
    if ($PSStyle) {
        $script:savedRendering = $PSStyle.OutputRendering
        $PSStyle.OutputRendering = 'PlainText'
    }

    function Get-RenderedTable {
        param([Parameter(Mandatory)] [object[]] $InputObject, [Parameter(Mandatory)] [int] $Width)
        ($InputObject | Format-Table | Out-String -Width $Width) -split "`r?`n"
    }

    function Get-RowLine {
        # The table line of the channel with this id (the id is the first, right-aligned column).
        param([Parameter(Mandatory)] [AllowEmptyString()] [string[]] $Line, [Parameter(Mandatory)] [int] $Id)
        @($Line | Where-Object { $_ -match "^\s*$Id\s" })[0]
    }
}

AfterAll {
    if ($PSStyle) {
        $PSStyle.OutputRendering = $script:savedRendering
    }

    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Previews that can be filtered (-WhatIf)' {
    BeforeAll {
        $sbx = Start-NewApiTestSandbox
        $preview = @(Invoke-NewApiModelSync -WhatIf -ErrorAction SilentlyContinue)
        $writesAfterPreview = $sbx.Sandbox.Updates.Count
        $applied = @(Invoke-NewApiModelSync -ErrorAction SilentlyContinue)
    }

    AfterAll {
        Stop-NewApiSandbox
    }

    It 'Where-Object Changed lists exactly the channels the real run then changed' {
        $writesAfterPreview | Should -Be 0
        $wouldChange = @($preview | Where-Object Changed | ForEach-Object ChannelId | Sort-Object)
        $didChange = @($applied | Where-Object Changed | ForEach-Object ChannelId | Sort-Object)
        $wouldChange | Should -Not -BeNullOrEmpty
        $wouldChange | Should -Be $didChange
    }

    It 'marks every preview row WhatIf and no applied row' {
        @($preview | Where-Object { -not $_.WhatIf }) | Should -BeNullOrEmpty
        @($applied | Where-Object WhatIf) | Should -BeNullOrEmpty
    }

    It 'names the models a channel would gain and lose' {
        $openAi = $preview | Where-Object ChannelId -EQ 1
        $openAi.Reason | Should -Match 'gpt-5-mini'
        $openAi.Reason | Should -Match 'remove gpt-4-turbo'
        $openAi.AddedModels | Should -Contain 'gpt-5-mini'
    }

    It 'keeps a failed channel Failed and unchanged in the preview' {
        $failed = $preview | Where-Object ChannelId -EQ 11
        $failed.Status | Should -Be 'Failed'
        $failed.Changed | Should -BeFalse
    }

    It 'filters redirect, clear and restore previews the same way' {
        $redirectPreview = @(New-NewApiModelRedirect -WhatIf -ErrorAction SilentlyContinue)
        $redirectApplied = @(New-NewApiModelRedirect -Confirm:$false -ErrorAction SilentlyContinue)
        @($redirectPreview | Where-Object { -not $_.WhatIf }) | Should -BeNullOrEmpty
        @($redirectPreview | Where-Object Changed | ForEach-Object ChannelId | Sort-Object) | Should -Be @($redirectApplied | Where-Object Changed | ForEach-Object ChannelId | Sort-Object)
        @($redirectPreview | Where-Object Changed | ForEach-Object Status | Select-Object -Unique) | Should -Be @('Updated')

        $clearPreview = @(Clear-NewApiModelRedirect -WhatIf -ErrorAction SilentlyContinue)
        $clearApplied = @(Clear-NewApiModelRedirect -Confirm:$false -ErrorAction SilentlyContinue)
        @($clearPreview | Where-Object Changed | ForEach-Object ChannelId | Sort-Object) | Should -Be @($clearApplied | Where-Object Changed | ForEach-Object ChannelId | Sort-Object)
        @($clearPreview | Where-Object Changed | ForEach-Object Status | Select-Object -Unique) | Should -Be @('Cleared')

        $writesBefore = $sbx.Sandbox.Updates.Count
        $restore = @(Restore-NewApiChannel -RunId $applied[0].RunId -Force -WhatIf -ErrorAction SilentlyContinue)
        $sbx.Sandbox.Updates.Count | Should -Be $writesBefore
        @($restore | Where-Object Changed | ForEach-Object ChannelId | Sort-Object) | Should -Be @($applied | Where-Object Changed | ForEach-Object ChannelId | Sort-Object)
        ($restore | Where-Object ChannelId -EQ 1).Reason | Should -Match 'gpt-4-turbo'
    }
}

Describe 'Tables that keep the cause' {
    BeforeAll {
        $sbx = Start-NewApiTestSandbox
        # Issue 12 item 7: a hostile channel name with a window-title escape, a bell and a right-to-left override.
        $hostileName = "Gem$([char]27)]0;pwned$([char]7) $([char]0x202E)evil"
        $null = $sbx.Sandbox.Site.Change(3, [Action[NewApiSync.Sandbox.SandboxChannel]] { param($channel) $channel.Name = $hostileName })
        $results = @(Invoke-NewApiModelSync -ErrorVariable syncErrors -ErrorAction SilentlyContinue)
        $runs = @(Get-NewApiSyncHistory -Run)
    }

    AfterAll {
        Stop-NewApiSandbox
    }

    It 'keeps id, name, status and the cause of the error at 80 columns' {
        $lines = Get-RenderedTable -InputObject $results -Width 80
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $failedLine = Get-RowLine -Line $lines -Id 11
        $failedLine | Should -Match 'OpenAI reseller'
        $failedLine | Should -Match 'Failed'
        $failedLine | Should -Match 'Upstream 401'
    }

    It 'shows the error with its cause first at 120 columns' {
        $lines = Get-RenderedTable -InputObject $results -Width 120
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 120 }
        Get-RowLine -Line $lines -Id 11 | Should -Match 'Upstream 401: The upstream provider of channel 11'
    }

    It 'puts the cause first in the error record too' {
        $syncErrors | Should -HaveCount 1
        $syncErrors[0].Exception.Message | Should -Match "^Channel 'OpenAI reseller \(expired key\)' \(#11\) failed \(Upstream 401\): "
    }

    It 'has no Error column: successful rows explain themselves under Message' {
        $lines = Get-RenderedTable -InputObject $results -Width 120
        $header = @($lines | Where-Object { $_ -match '\bChannelName\b' })[0]
        $header | Should -Match '\bMessage\b'
        $header | Should -Not -Match '\bError\b'
        $again = @(Invoke-NewApiModelSync -Id 1)
        $again[0].Changed | Should -BeFalse
        $again[0].Error | Should -BeNullOrEmpty
        Get-RowLine -Line (Get-RenderedTable -InputObject $again -Width 120) -Id 1 | Should -Match ([regex]::Escape($again[0].Reason))
    }

    It 'keeps the failure count of a run at 80 columns' {
        $lines = Get-RenderedTable -InputObject $runs -Width 80
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $header = @($lines | Where-Object { $_ -match '^RunId' })[0]
        $header | Should -Match '\bFail\b'
        $row = @($lines | Where-Object { $_ -match [regex]::Escape($runs[0].RunId) })[0]
        $failColumn = $header.IndexOf('Fail')
        $row.Substring($failColumn, 4).Trim() | Should -Be ([string]$runs[0].Failed)
        $runs[0].Failed | Should -Be 1
    }

    It 'never lets an ESC, BEL or bidi override from a channel name reach the rendered views' {
        ($results | Where-Object ChannelId -EQ 3).ChannelName | Should -BeExactly $hostileName
        $rendered = @(
            $results | Format-Table | Out-String -Width 120
            $results | Format-List | Out-String -Width 120
            Get-NewApiChannel -Id 3 | Format-Table | Out-String -Width 120
            Get-NewApiChannel -Id 3 | Format-List | Out-String -Width 120
        ) -join "`n"
        $rendered.Contains([char]27) | Should -BeFalse
        $rendered.Contains([char]7) | Should -BeFalse
        $rendered.Contains([char]0x202E) | Should -BeFalse
        $rendered | Should -Match ([regex]::Escape('Gem\x1B]0;pwned\x07'))
    }
}

Describe 'Exports without extra work' {
    BeforeAll {
        $sbx = Start-NewApiTestSandbox
        $results = @(Invoke-NewApiModelSync -Id 1, 11 -ErrorAction SilentlyContinue)
        $csvPath = Join-Path -Path $TestDrive -ChildPath 'sync.csv'
        $results | Export-Csv -LiteralPath $csvPath
        $csv = @(Import-Csv -LiteralPath $csvPath)
        $json = $results | ConvertTo-Json -Depth 3 | ConvertFrom-Json
    }

    AfterAll {
        Stop-NewApiSandbox
    }

    It 'writes model lists to CSV as readable names' {
        $openAi = $csv | Where-Object ChannelId -EQ '1'
        $openAi.AddedModels | Should -Match '^gpt-4o-2024-11-20, gpt-4\.1, '
        $openAi.RemovedModels | Should -BeExactly 'gpt-4-turbo'
        Get-Content -LiteralPath $csvPath -Raw | Should -Not -Match 'System\.String\[\]'
        (Get-NewApiChannel -Id 2 | ConvertTo-Csv)[1] | Should -Match '"claude-3-5-sonnet-20241022, claude-sonnet-4-20250514"'
    }

    It 'keeps the model lists usable as lists' {
        $results[0].AddedModels.Count | Should -BeGreaterThan 1
        $results[0].AddedModels | Should -Contain 'gpt-5'
        @($json | Where-Object ChannelId -EQ 1)[0].AddedModels | Should -Contain 'gpt-5'
    }

    It 'writes statuses and kinds to JSON by name' {
        ($json | Where-Object ChannelId -EQ 11).Status | Should -BeExactly 'Failed'
        ($json | Where-Object ChannelId -EQ 11).ErrorKind | Should -BeExactly 'Upstream'
        ($json | Where-Object ChannelId -EQ 1).Kind | Should -BeExactly 'Sync'
        (Get-NewApiSyncHistory -Run | ConvertTo-Json | ConvertFrom-Json).Mode | Should -BeExactly 'Selected'
        (Get-NewApiChannel -Id 8 | ConvertTo-Json | ConvertFrom-Json).Status | Should -BeExactly 'ManuallyDisabled'
    }
}

Describe 'Redirect and clear counts that mean what they say' {
    BeforeAll {
        $sbx = Start-NewApiTestSandbox
        $redirect = @(New-NewApiModelRedirect -Id 2 -StandardModel 'claude-4-sonnet', 'claude-sonnet-4-20250514', 'gtp-4o' -WhatIf -WarningVariable redirectWarnings -WarningAction SilentlyContinue)
        $cleared = @(Clear-NewApiModelRedirect -Id 9 -Confirm:$false)
    }

    AfterAll {
        Stop-NewApiSandbox
    }

    It 'does not count a name the channel already lists as unmatched' {
        $redirect[0].Unmatched.Keys | Should -Not -Contain 'claude-sonnet-4-20250514'
        $redirect[0].AlreadyServed | Should -Be @('claude-sonnet-4-20250514')
        $redirect[0].Unmatched.Keys | Should -Be @('gtp-4o')
    }

    It 'warns once about a standard name no channel serves and that is not built in' {
        @($redirectWarnings | Where-Object { $_.Message -match 'gtp-4o' }) | Should -HaveCount 1
        $redirectWarnings[0].Message | Should -Match 'Get-NewApiStandardModel'
    }

    It 'shows what a clear removed' {
        $cleared[0].Status | Should -Be 'Cleared'
        $cleared[0].MappingKeysRemoved | Should -Be @('glm-4')
        Get-RowLine -Line (Get-RenderedTable -InputObject $cleared -Width 80) -Id 9 | Should -Match 'Removed glm-4'
    }
}

Describe 'Schedules that speak up' {
    BeforeEach {
        $sbx = Start-NewApiTestSandbox
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    It 'warns when -IfDue finds auto-sync off, and syncs nothing' {
        $output = @(Invoke-NewApiModelSync -IfDue -WarningVariable dueWarnings -WarningAction SilentlyContinue)
        $output | Should -BeNullOrEmpty
        $dueWarnings | Should -HaveCount 1
        $dueWarnings[0].Message | Should -Match 'Auto-sync is off'
        $dueWarnings[0].Message | Should -Match 'Set-NewApiSyncSetting -AutoSync \$true'
        Get-NewApiTestRun -Sandbox $sbx | Should -HaveCount 0
    }

    It 'warns when the run is not due yet, naming the next due time' {
        Set-NewApiSyncSetting -AutoSync $true -Interval '6h'
        $first = @(Invoke-NewApiModelSync -IfDue -ErrorAction SilentlyContinue)
        $first | Should -HaveCount 12
        $second = @(Invoke-NewApiModelSync -IfDue -WarningVariable dueWarnings -WarningAction SilentlyContinue)
        $second | Should -BeNullOrEmpty
        $dueAt = (Get-NewApiSyncHistory -Run)[0].FinishedAt.AddHours(6).ToLocalTime().ToString('yyyy-MM-dd HH:mm:ss')
        $dueWarnings | Should -HaveCount 1
        $dueWarnings[0].Message | Should -Match 'Not due yet'
        $dueWarnings[0].Message | Should -Match ([regex]::Escape($dueAt))
    }

    It 'writes one run summary per Start-NewApiAutoSync run' {
        Set-NewApiSyncSetting -AutoSync $true -Interval '6h'
        $worker = Start-NewApiTestBackgroundCommand -CommandName 'Start-NewApiAutoSync' -Parameters @{ Connection = $sbx; CheckIntervalSec = 5; ErrorAction = 'SilentlyContinue' }
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ($worker.Output.Count -lt 1 -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 100
            }

            Stop-NewApiTestBackgroundCommand -Command $worker
            $output = @($worker.Output)
        } finally {
            Remove-NewApiTestBackgroundCommand -Command $worker
        }

        $output | Should -HaveCount 1
        $output[0].PSObject.TypeNames[0] | Should -Be 'NewApiSync.Engine.Results.NewApiSyncRun'
        $output[0].Total | Should -Be 12
        $output[0].Failed | Should -Be 1
        $output[0].Mode | Should -Be 'IfDue'
    }
}

Describe 'Consistency and polish' {
    BeforeAll {
        $sbx = Start-NewApiTestSandbox
    }

    AfterAll {
        Stop-NewApiSandbox
    }

    It 'takes -Id (alias ChannelId) on Get-NewApiSyncHistory like the other commands' {
        $null = Invoke-NewApiModelSync -Id 1, 2
        @(Get-NewApiSyncHistory -Id 2).ChannelId | Should -Be @(2)
        @(Get-NewApiSyncHistory -ChannelId 1).ChannelId | Should -Be @(1)
        (Get-Command -Name Get-NewApiSyncHistory).Parameters['Id'].Aliases | Should -Contain 'ChannelId'
    }

    It 'matches both disabled kinds with -Status Disabled' {
        @(Get-NewApiChannel -Status Disabled | ForEach-Object Id) | Should -Be @(8, 12)
        @(Get-NewApiChannel -Status AutoDisabled | ForEach-Object Id) | Should -Be @(12)
    }

    It 'reads -Interval ''6h'' and ''30m'' and explains a bare number' {
        (Set-NewApiSyncSetting -Interval '6h' -PassThru).Interval | Should -Be ([timespan]::FromHours(6))
        (Set-NewApiSyncSetting -Interval '1h30m' -PassThru).Interval | Should -Be ([timespan]::FromMinutes(90))
        $bare = Get-TerminatingError -ScriptBlock { Set-NewApiSyncSetting -Interval 6 }
        $bare.Exception.Message | Should -Match "did you mean '6h' \(hours\) or '6m' \(minutes\)"
        (Get-NewApiSyncSetting).Interval | Should -Be ([timespan]::FromMinutes(90))
    }

    It 'answers a plain-string -AccessToken with the Read-Host -AsSecureString hint, never the token' {
        $plain = Get-TerminatingError -ScriptBlock { Connect-NewApi -BaseUrl $sbx.BaseUrl -AccessToken 'plain-token-text-42' -UserId 1 }
        $plain.Exception.Message | Should -Match 'Read-Host -AsSecureString'
        $plain.Exception.Message | Should -Not -Match 'plain-token-text-42'
    }

    It 'says a missing channel does not exist, without an empty name, and journals no run' {
        $runsBefore = @(Get-NewApiTestRun -Sandbox $sbx).Count
        $null = Invoke-NewApiModelSync -Id 999 -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing | Should -HaveCount 1
        $missing[0].Exception.Message | Should -Match '^Channel #999 does not exist\.'
        $missing[0].Exception.Message | Should -Not -Match "Channel ''"
        @(Get-NewApiTestRun -Sandbox $sbx).Count | Should -Be $runsBefore
    }

    It 'uses one minus sign, the ASCII one, in tables and previews' {
        $preview = @(Invoke-NewApiModelSync -Id 1 -WhatIf)
        $table = $preview | Format-Table | Out-String -Width 120
        $table | Should -Match '\+\d+ -\d+'
        $table.Contains([char]0x2212) | Should -BeFalse
        [NewApiSync.Engine.Channels.ChannelModelList]::Diff([NewApiSync.Engine.Channels.ChannelModelList]::Parse('a,b'), [NewApiSync.Engine.Channels.ChannelModelList]::Parse('b,c')).ToString() | Should -BeExactly '+1 -1 models'
    }

    It 'explains the sandbox''s faster settings where they are shown' {
        $shown = Get-NewApiSyncSetting | Format-List | Out-String -Width 200
        $shown | Should -Match "sandbox's own settings"
        $shown | Should -Match 'A real site starts from the defaults \(20 a minute, burst 5\)'
    }
}

Describe 'Progress that keeps up and says why it waits' {
    BeforeAll {
        function Get-ProgressOf {
            # Runs one command of the module in a fresh PowerShell and returns the progress records it wrote.
            param([Parameter(Mandatory)] [string] $CommandName, [Parameter(Mandatory)] [hashtable] $Parameters)

            $worker = [powershell]::Create()
            try {
                $null = $worker.AddCommand('Import-Module').AddParameter('Name', (Get-NewApiSyncTestModulePath)).AddStatement()
                $null = $worker.AddCommand($CommandName).AddParameters($Parameters)
                $null = $worker.Invoke()
                @($worker.Streams.Progress)
            }
            finally {
                $worker.Dispose()
            }
        }
    }

    BeforeEach {
        $sbx = Start-NewApiTestSandbox
    }

    AfterEach {
        Stop-NewApiSandbox
    }

    It 'moves the bar with every finished channel' {
        $records = Get-ProgressOf -CommandName 'Invoke-NewApiModelSync' -Parameters @{ Connection = $sbx; ErrorAction = 'SilentlyContinue' }
        $statuses = @($records | ForEach-Object StatusDescription)
        foreach ($done in 1..12) {
            @($statuses | Where-Object { $_ -like "$done/12 *" }) | Should -Not -BeNullOrEmpty -Because "the bar must show $done/12 once that many channels are done"
        }
    }

    It 'shows the channel listing page by page' {
        $records = Get-ProgressOf -CommandName 'Get-NewApiChannel' -Parameters @{ Connection = $sbx }
        @($records | Where-Object StatusDescription -EQ 'Listing channels: 12 of 12') | Should -Not -BeNullOrEmpty
        $sync = Get-ProgressOf -CommandName 'Invoke-NewApiModelSync' -Parameters @{ Connection = $sbx; ErrorAction = 'SilentlyContinue' }
        @($sync | Where-Object StatusDescription -Like 'Listing channels: *') | Should -Not -BeNullOrEmpty
    }

    It 'says when it waits for a server 429 and for how long' {
        $sbx.Sandbox.Options.RateLimitRequests = 3
        $sbx.Sandbox.Options.RateLimitWindow = [timespan]::FromSeconds(3)
        $records = Get-ProgressOf -CommandName 'Invoke-NewApiModelSync' -Parameters @{ Connection = $sbx; Id = 1, 2, 3, 4; ErrorAction = 'SilentlyContinue' }
        @($records | Where-Object StatusDescription -Match 'waiting \d+ s: the server asked to slow down \(429\)') | Should -Not -BeNullOrEmpty
    }

    It 'says when it waits for its own rate limit and for about how long' {
        $records = Get-ProgressOf -CommandName 'Invoke-NewApiModelSync' -Parameters @{ Connection = $sbx; Id = 1, 2, 3, 4; RequestsPerMinute = 60; Burst = 1; Concurrency = 3; ErrorAction = 'SilentlyContinue' }
        @($records | Where-Object StatusDescription -Match 'waiting about \d+ s for the rate limit \(60 requests/min\)') | Should -Not -BeNullOrEmpty
    }
}

Describe 'Help syntax that matches the commands' {
    It 'shows the same parameter sets in Get-Help as Get-Command -Syntax for <_>' -ForEach $commandNames {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $expected = foreach ($set in (Get-Command -Name $_).ParameterSets) {
            @($set.Parameters.Name | Where-Object { $common -notcontains $_ } | Sort-Object) -join ' '
        }

        $shown = foreach ($item in @((Get-Help -Name $_).syntax.syntaxItem)) {
            @($item.parameter.name | Sort-Object) -join ' '
        }

        @($shown | Sort-Object) | Should -Be @($expected | Sort-Object)
    }
}

Describe 'Messages that cannot drive the terminal' {
    BeforeAll {
        $sbx = Start-NewApiTestSandbox
        $null = $sbx.Sandbox.Site.Change(3, [Action[NewApiSync.Sandbox.SandboxChannel]] { param($channel) $channel.Name = "Gem$([char]27)[2J$([char]0x202E)" })
        $null = $sbx.Sandbox.Site.Change(1, [Action[NewApiSync.Sandbox.SandboxChannel]] { param($channel) $channel.Name = "Open$([char]27)]0;owned$([char]7)AI" })
        $sbx.Sandbox.Site.SetUpstreamError(3, "refused$([char]7)$([char]27)]0;owned")
        $everything = @(Invoke-NewApiModelSync -Id 3, 1 -ErrorVariable failures -ErrorAction SilentlyContinue -Verbose 4>&1)
        $verbose = @($everything | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
    }

    AfterAll {
        Stop-NewApiSandbox
    }

    It 'escapes control and bidi characters in the error, the verbose stream and the ShouldProcess text' {
        $failures | Should -HaveCount 1
        @($verbose | Where-Object { $_ -match 'refused' }) | Should -Not -BeNullOrEmpty
        @($verbose | Where-Object { $_ -match 'Performing the operation' -and $_ -match 'Open' }) | Should -Not -BeNullOrEmpty
        $text = @($failures[0].Exception.Message) + $verbose
        $joined = $text -join "`n"
        $joined.Contains([char]27) | Should -BeFalse
        $joined.Contains([char]7) | Should -BeFalse
        $joined.Contains([char]0x202E) | Should -BeFalse
        $failures[0].Exception.Message | Should -Match ([regex]::Escape('refused\x07\x1B]0;owned'))
    }
}
