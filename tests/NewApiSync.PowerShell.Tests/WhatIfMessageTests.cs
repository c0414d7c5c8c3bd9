using System.Linq;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// The "What if:" lines -WhatIf shows. PowerShell writes them to the host, not to a stream a script can capture, so
    /// their text is read here from <see cref="RecordingHostUI.WhatIfLines"/>; that -WhatIf writes nothing is Pester's.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class WhatIfMessageTests
    {
        [Fact]
        public void Invoke_NewApiModelSync_Names_Each_Channel_And_Its_Model_Change()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Run("$null = Invoke-NewApiModelSync -WhatIf -ErrorAction SilentlyContinue");
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("OpenAI official (#1)") && l.Contains("+8 -1 models"));
        }

        [Fact]
        public void Set_NewApiSyncSetting_Names_Each_Value()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Run("Set-NewApiSyncSetting -Concurrency 5 -WhatIf");
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("Concurrency = 5"));
        }

        [Fact]
        public void New_NewApiModelRedirect_Names_The_Channel_And_Each_Entry()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Run("$null = Get-NewApiChannel -Id 2 | New-NewApiModelRedirect -StandardModel 'claude-4-sonnet' -WhatIf");
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("Anthropic direct (#2)") && l.Contains("add claude-4-sonnet \u2192 claude-sonnet-4-20250514"));
        }

        [Fact]
        public void Clear_NewApiModelRedirect_Lists_Only_Mapped_Channels_With_Their_Entries_And_Never_Asks()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Run("$null = Clear-NewApiModelRedirect -WhatIf");
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("OpenRouter free tier (#6)") && l.Contains("1 mapping entry") && l.Contains("gpt-4o"));
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("Zhipu GLM (#9)"));
            Assert.Equal(2, session.Host.RecordingUI.WhatIfLines.Count());
            Assert.Empty(session.Host.RecordingUI.Prompts);
        }

        [Fact]
        public void Restore_NewApiChannel_Names_The_Channel_And_The_Model_Change()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Run("$null = Invoke-NewApiModelSync -ErrorAction SilentlyContinue; $null = Get-NewApiSyncHistory | Restore-NewApiChannel -WhatIf");
            Assert.Contains(session.Host.RecordingUI.WhatIfLines, l => l.Contains("OpenAI official (#1)") && l.Contains("Restore models (+1 -8 models)"));
        }
    }
}
