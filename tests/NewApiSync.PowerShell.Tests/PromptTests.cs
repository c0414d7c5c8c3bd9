using System.Linq;
using NewApiSync.PowerShell.Tests.Hosting;
using Xunit;

namespace NewApiSync.PowerShell.Tests
{
    /// <summary>
    /// ConfirmImpact High commands ask the host once per channel. The questions and the answers (Yes, No, Yes to All,
    /// No to All) go through <see cref="RecordingHostUI.PromptForChoice"/>, which a Pester run cannot answer.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class PromptTests
    {
        [Fact]
        public void Clear_NewApiModelRedirect_Asks_Per_Channel_And_Touches_Only_What_Was_Confirmed()
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Host.RecordingUI.ChoiceAnswerer = message => message.Contains("(#6)") ? "Y" : "N";
            var results = session.Run("Clear-NewApiModelRedirect -Id 6, 9");

            Assert.Equal(2, session.Host.RecordingUI.Prompts.Count);
            Assert.Contains(session.Host.RecordingUI.Prompts, p => p.Contains("OpenRouter free tier (#6)") && p.Contains("1 mapping entry"));
            Assert.Contains(session.Host.RecordingUI.Prompts, p => p.Contains("Zhipu GLM (#9)"));
            Assert.Equal("{}", session.Scalar<string>("$sbx.Sandbox.Site.Get(6).ModelMapping"));
            Assert.Equal("openai/gpt-4o:free", session.Scalar<string>("$sbx.Sandbox.Site.Get(6).Models"));
            Assert.Equal("{\"glm-4\":\"glm-4.5\"}", session.Scalar<string>("$sbx.Sandbox.Site.Get(9).ModelMapping"));
            Assert.Equal("Cleared", results.Single(r => r.Property<int>("ChannelId") == 6).Property<string>("Status"));
            Assert.Equal("Skipped", results.Single(r => r.Property<int>("ChannelId") == 9).Property<string>("Status"));
        }

        [Theory]
        [InlineData(new[] { "Y", "N", "Y" }, new[] { 1, 3 }, 3)]
        [InlineData(new[] { "N", "A" }, new[] { 2, 3 }, 2)]
        [InlineData(new[] { "L" }, new int[0], 1)]
        public void Restore_NewApiChannel_Asks_For_Each_Channel_By_Default(string[] answers, int[] restored, int prompts)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            // One worker, so the questions come in channel order.
            session.Run("Set-NewApiSyncSetting -Concurrency 1; $null = Invoke-NewApiModelSync -Id 1, 2, 3; $sbx.Sandbox.ClearRequests()");
            foreach (string answer in answers)
            {
                session.Host.RecordingUI.ChoiceAnswers.Enqueue(answer);
            }

            var results = session.Run("Get-NewApiSyncHistory | Restore-NewApiChannel");

            Assert.Equal(prompts, session.Host.RecordingUI.Prompts.Count);
            Assert.Empty(session.Host.RecordingUI.ChoiceAnswers);
            Assert.Equal(restored, results.Where(r => r.Property<bool>("Changed")).Select(r => r.Property<int>("ChannelId")).OrderBy(i => i));
            Assert.Equal(restored.Length, session.Scalar<int>("$sbx.Sandbox.Updates.Count"));
        }

        [Theory]
        [InlineData("N")]
        [InlineData("L")]
        public void A_Prompt_Answered_No_Or_No_To_All_Leaves_No_Run_In_The_Journal(string answer)
        {
            using var env = EnvironmentScope.WithoutNewApiVariables();
            using var session = PowerShellSession.WithSandbox();
            session.Run("Set-NewApiSyncSetting -Concurrency 1; $null = Invoke-NewApiModelSync -Id 1; $sbx.Sandbox.ClearRequests()");
            session.Host.RecordingUI.ChoiceAnswers.Enqueue(answer);

            var results = session.Run("Get-NewApiSyncHistory | Restore-NewApiChannel");

            Assert.Single(session.Host.RecordingUI.Prompts);
            Assert.Equal("Skipped", results.Single().Property<string>("Status"));
            Assert.Equal(0, session.Scalar<int>("$sbx.Sandbox.Updates.Count"));
            Assert.Equal(new[] { "Sync" }, session.Run("Get-NewApiSyncHistory -Run").Select(r => r.Property<string>("Kind")));
        }
    }
}
