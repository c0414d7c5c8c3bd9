BeforeDiscovery {
    # The commands with help sources in docs/commands; each must have complete help.
    $script:documentedCommands = Get-ChildItem -Path ([System.IO.Path]::Combine($PSScriptRoot, '..', '..', 'docs', 'commands')) -Filter '*-*.md' |
        ForEach-Object { @{ Name = $_.BaseName } }
}

BeforeAll {
    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath 'TestHelpers.psm1') -Force
    $script:savedEnvironment = Enter-NewApiSyncTest
    $script:module = Get-Module -Name NewApiSync
}

AfterAll {
    Exit-NewApiSyncTest -SavedEnvironment $script:savedEnvironment
}

Describe 'NewApiSync module' {
    Context 'Manifest' {
        It 'passes Test-ModuleManifest' {
            $manifest = Test-ModuleManifest -Path (Join-Path -Path $script:module.ModuleBase -ChildPath 'NewApiSync.psd1') -ErrorAction Stop
            $manifest.Version | Should -Be $script:module.Version
            $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        }

        It 'lists its exports explicitly' {
            $source = Get-Content -Path (Join-Path -Path $script:module.ModuleBase -ChildPath 'NewApiSync.psd1') -Raw
            $source | Should -Not -Match "CmdletsToExport\s*=\s*'\*'"
            $source | Should -Not -Match "FunctionsToExport\s*=\s*'\*'"
        }

        It 'carries Gallery metadata' {
            $data = $script:module.PrivateData.PSData
            $data.Tags | Should -Contain 'PSEdition_Core'
            $data.ProjectUri | Should -Not -BeNullOrEmpty
            $data.LicenseUri | Should -Not -BeNullOrEmpty
            $data.ReleaseNotes | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Help for <Name>' -ForEach $script:documentedCommands {
        BeforeAll {
            $script:help = Get-Help -Name $Name -Full
            $script:command = Get-Command -Name $Name
        }

        It 'has a synopsis and a description' {
            $script:help.Synopsis | Should -Not -BeNullOrEmpty
            $script:help.Synopsis | Should -Not -BeLike "*$Name*"
            ($script:help.description | ForEach-Object Text) -join '' | Should -Not -BeNullOrEmpty
        }

        It 'describes every parameter' {
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            $documented = @($script:help.parameters.parameter | Where-Object { $_ } | ForEach-Object name)
            foreach ($parameter in $script:command.Parameters.Keys | Where-Object { $common -notcontains $_ }) {
                $documented | Should -Contain $parameter -Because "-$parameter needs help"
            }
        }

        It 'has at least two examples with code' {
            $examples = @($script:help.examples.example)
            $examples.Count | Should -BeGreaterOrEqual 2
            $examples | ForEach-Object { $_.code | Should -Not -BeNullOrEmpty }
        }
    }

    Context 'About topic' {
        It 'explains <Text>' -TestCases @(
            @{ Text = 'CONCEPTS' }
            @{ Text = 'BEST PRACTICES' }
            @{ Text = 'TROUBLESHOOTING' }
            @{ Text = 'NewApiConfigurationMissing' }
        ) {
            (Get-Help -Name about_NewApiSync | Out-String) | Should -BeLike "*$Text*"
        }
    }

    Context 'Formatting' {
        BeforeAll {
            $null = Start-NewApiSandbox
        }

        AfterAll {
            Stop-NewApiSandbox
        }

        It 'shows channels as a table without .NET type names' {
            $table = Get-NewApiChannel | Format-Table | Out-String -Width 120
            $table | Should -BeLike '*OpenAI official*'
            $table | Should -Not -BeLike '*System.*'
        }

        It 'shows full model lists in the list view' {
            $list = Get-NewApiChannel -Id 1 | Format-List | Out-String -Width 120
            $list | Should -BeLike '*gpt-4o, gpt-4o-mini, gpt-4-turbo*'
        }
    }
}
