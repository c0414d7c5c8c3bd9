#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# What a PowerShell admin sees (issue 13, and issue 12 item 7): filterable previews, tables that keep the cause at 80 and
# 120 columns, honest counts, schedules that speak up, progress, help syntax, exports, Ctrl+C and the polish items.
# Runs against the sample sandbox (12 channels; channel 11's upstream refuses with a 401, 8 and 12 are disabled).

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    # Views are checked as text: no ANSI styling from $PSStyle in the rendered tables, only what the data brings.
    $script:savedRendering = $PSStyle.OutputRendering
    $PSStyle.OutputRendering = 'PlainText'

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
    $PSStyle.OutputRendering = $script:savedRendering
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
        $results = @(Invoke-NewApiModelSync -ErrorAction SilentlyContinue)
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
