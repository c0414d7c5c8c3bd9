#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Tab completion of channel names and ids, standard model names and run ids: each completer called as PowerShell calls
# it (CompleteArgument in the session that holds the connection), and whole command lines through TabExpansion2.

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest

    function Get-CompletionResult {
        # What one of the module's completers offers for a word, with the parameters already typed.
        param(
            [Parameter(Mandatory)]
            [string] $Completer,

            [string] $Word = '',

            [hashtable] $BoundParameter = @{}
        )

        $instance = New-Object -TypeName "NewApiSync.PowerShell.Completion.$Completer"
        @($instance.CompleteArgument('Cmd', 'Param', $Word, $null, $BoundParameter))
    }

    function Get-CompletionText {
        # The texts Tab would insert, in the order offered.
        param(
            [Parameter(Mandatory)]
            [string] $Completer,

            [string] $Word = '',

            [hashtable] $BoundParameter = @{}
        )

        @(Get-CompletionResult -Completer $Completer -Word $Word -BoundParameter $BoundParameter | ForEach-Object -MemberName CompletionText)
    }

    function Get-TabCompletionText {
        # What Tab offers at the end of a command line.
        param([Parameter(Mandatory)] [string] $Line)

        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object -MemberName CompletionText)
    }
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'Argument completion' {
    Context 'Channel names from the session connection' {
        BeforeAll {
            $null = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'completes <Word>, quoting names that need it' -TestCases @(
            @{ Word = "'Open'"; Expected = @("'OpenAI official'", "'OpenAI reseller (expired key)'", "'OpenRouter free tier'") }
            @{ Word = 'Open'; Expected = @("'OpenAI official'", "'OpenAI reseller (expired key)'", "'OpenRouter free tier'") }
            @{ Word = 'zhip'; Expected = @("'Zhipu GLM'") }
            @{ Word = 'Deep'; Expected = @('DeepSeek') }
            @{ Word = '*paused*'; Expected = @("'Azure East US (paused)'") }
            @{ Word = 'nothing-like-this'; Expected = @() }
        ) {
            (Get-CompletionText -Completer ChannelNameCompleter -Word $Word) -join ', ' | Should -BeExactly ($Expected -join ', ')
        }
    }

    Context 'Every command line that takes a channel, a model or a run' {
        BeforeAll {
            $null = Start-NewApiTestSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'offers <Expected> for "<Line>"' -TestCases @(
            @{ Line = 'Get-NewApiChannel -Name Azure'; Expected = "'Azure East US (paused)'" }
            @{ Line = 'Get-NewApiChannel -Id 1'; Expected = '1' }
            @{ Line = 'Invoke-NewApiModelSync -Id 1'; Expected = '1' }
            @{ Line = 'Clear-NewApiModelRedirect -Id 1'; Expected = '1' }
            @{ Line = 'New-NewApiModelRedirect -StandardModel claude-4.5-son'; Expected = 'claude-4.5-sonnet' }
            @{ Line = 'Set-NewApiSyncSetting -StandardModels gpt-4.1-mi'; Expected = 'gpt-4.1-mini' }
            @{ Line = 'Get-NewApiStandardModel gemini-2.5-flash-l'; Expected = 'gemini-2.5-flash-lite' }
            @{ Line = 'Get-NewApiSyncHistory -ChannelId 1'; Expected = '1' }
            @{ Line = 'Restore-NewApiChannel -RunId x -ChannelId 1'; Expected = '1' }
        ) {
            Get-TabCompletionText -Line $Line | Should -Contain $Expected
        }

        It 'uses a completer registered for a parameter' {
            # The cmdlets declare [ArgumentCompleter]; registering the same class shows the whole path through TabExpansion2.
            Register-ArgumentCompleter -CommandName Get-NewApiChannel -ParameterName Name -ScriptBlock {
                param($command, $parameter, $word, $ast, $bound)
                [NewApiSync.PowerShell.Completion.ChannelNameCompleter]::new().CompleteArgument($command, $parameter, $word, $ast, $bound)
            }

            (Get-TabCompletionText -Line 'Get-NewApiChannel -Name Azure') -join ', ' | Should -BeExactly "'Azure East US (paused)'"
        }
    }

    Context 'Run ids from the site journal' {
        BeforeAll {
            $null = Start-NewApiTestSandbox
            Set-NewApiSyncSetting -MaxRetries 0
            $null = Invoke-NewApiModelSync -Id 4
            $runId = @(Get-NewApiSyncHistory -Run)[0].RunId
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'completes the run id on <Line>' -TestCases @(
            @{ Line = 'Get-NewApiSyncHistory -RunId 2' }
            @{ Line = 'Restore-NewApiChannel -RunId 2' }
        ) {
            @(Get-TabCompletionText -Line $Line | ForEach-Object -Process { $_.Trim("'") }) | Should -Contain $runId
        }
    }

    Context 'Run ids, newest first' {
        BeforeAll {
            # The sandbox's journal lives in its own data folder, which is where the completer must look.
            $sbx = Start-NewApiTestSandbox
            $journal = [NewApiSync.Engine.Journal.SyncJournal]::ForSite($sbx.DataDirectory, $sbx.BaseUrl, $sbx.UserId)
            foreach ($id in '20260101T000000000Z-aaaaaa', '20260102T000000000Z-bbbbbb') {
                $header = [NewApiSync.Engine.Results.NewApiSyncRun]::new()
                $header.RunId = $id
                $header.BaseUrl = $sbx.BaseUrl
                $header.UserId = $sbx.UserId
                $header.StartedAt = [DateTimeOffset]::ParseExact($id.Substring(0, 8), 'yyyyMMdd', $null, 'AssumeUniversal')
                $header.Mode = 'All'
                $writer = $journal.BeginRun($header)
                $header.FinishedAt = $header.StartedAt.AddMinutes(1)
                $writer.Complete($header)
                $writer.Dispose()
            }
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'offers every run, the newest first' {
            (Get-CompletionText -Completer RunIdCompleter) -join ', ' | Should -BeExactly '20260102T000000000Z-bbbbbb, 20260101T000000000Z-aaaaaa'
        }

        It 'narrows to the runs that start with the typed word' {
            (Get-CompletionText -Completer RunIdCompleter -Word '20260101') -join ', ' | Should -BeExactly '20260101T000000000Z-aaaaaa'
        }

        It 'describes each run in its tooltip' {
            $offered = Get-CompletionResult -Completer RunIdCompleter -Word '20260102'
            $offered | Should -HaveCount 1
            $offered[0].ToolTip | Should -BeLike 'Sync All*'
        }
    }

    Context 'Channel ids' {
        BeforeAll {
            $null = Start-NewApiTestSandbox -Arguments @{ ChannelCount = 25 }
            $firstName = (Get-NewApiChannel -Id 1).Name
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'completes by number' {
            (Get-CompletionText -Completer ChannelIdCompleter -Word '2') -join ', ' | Should -BeExactly '2, 20, 21, 22, 23, 24, 25'
        }

        It 'offers every id, in order, each described by its channel' {
            $all = Get-CompletionResult -Completer ChannelIdCompleter
            @($all.CompletionText) -join ', ' | Should -BeExactly ((1..25) -join ', ')
            $all[0].ToolTip | Should -BeLike "*$firstName*"
            $all[0].ListItemText | Should -BeLike "*$firstName*"
        }

        It 'completes a channel name to its id' {
            Get-CompletionText -Completer ChannelIdCompleter -Word "'$firstName'" | Should -Contain '1'
        }
    }

    Context 'One channel list per connection' {
        BeforeAll {
            $sbx = Start-NewApiTestSandbox
            $sbx.Sandbox.ClearRequests()
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'asks the site once for completions in a row' {
            $null = Get-CompletionText -Completer ChannelNameCompleter -Word 'a'
            $null = Get-CompletionText -Completer ChannelIdCompleter -Word '1'
            $null = Get-CompletionText -Completer ChannelNameCompleter -Word 'z'
            @($sbx.Sandbox.Requests).Count | Should -Be 1
        }
    }

    Context 'No site to ask' {
        It 'offers nothing, and never fails, without a connection' {
            Stop-NewApiSandbox
            Get-CompletionText -Completer ChannelNameCompleter | Should -HaveCount 0
            Get-CompletionText -Completer RunIdCompleter | Should -HaveCount 0
        }

        It 'offers nothing, and never fails, when the typed connection reaches nothing' {
            $stopped = Start-NewApiSandbox
            Stop-NewApiSandbox
            Get-CompletionText -Completer ChannelIdCompleter -BoundParameter @{ Connection = $stopped } | Should -HaveCount 0
        }

        It 'prefers the typed -Connection over the session default' {
            $big = Start-NewApiSandbox -ChannelCount 40
            $null = Start-NewApiSandbox -ChannelCount 3
            Get-CompletionText -Completer ChannelIdCompleter | Should -HaveCount 3
            # Starting the second sandbox stopped the first, so a typed connection to it reaches nothing.
            Get-CompletionText -Completer ChannelIdCompleter -BoundParameter @{ Connection = $big } | Should -HaveCount 0
            Stop-NewApiSandbox
        }
    }

    Context 'Standard model names' {
        BeforeAll {
            # The saved StandardModels come from the user's settings file under the data root.
            $savedDataRoot = $env:NEWAPISYNC_DATA
            $dataRoot = Join-Path -Path $TestDrive -ChildPath 'data'
            $null = New-Item -Path $dataRoot -ItemType Directory -Force
            Set-Content -LiteralPath (Join-Path -Path $dataRoot -ChildPath 'settings.json') -Value '{ "standardModels": ["claude-house-blend", "gpt-4o"] }' -Encoding ASCII
            $env:NEWAPISYNC_DATA = $dataRoot
        }

        AfterAll {
            $env:NEWAPISYNC_DATA = $savedDataRoot
        }

        It 'completes from the catalog by prefix' {
            $claude = Get-CompletionText -Completer StandardModelCompleter -Word 'claude-4'
            $claude | Should -Contain 'claude-4.5-sonnet'
            $claude | ForEach-Object -Process { $_ | Should -BeLike 'claude-4*' }
        }

        It 'ignores case and offers each name once' {
            (Get-CompletionText -Completer StandardModelCompleter -Word 'GPT-4o') -join ', ' | Should -BeExactly 'gpt-4o, gpt-4o-mini'
        }

        It 'offers the saved names first' {
            (Get-CompletionText -Completer StandardModelCompleter -Word 'claude')[0] | Should -Be 'claude-house-blend'
        }
    }
}
