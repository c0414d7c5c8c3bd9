using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace NewApiSync.PowerShell.Tests.Hosting
{
    /// <summary>
    /// A PSHost that records what PowerShell shows a person (What-if lines, warnings, progress) and answers
    /// confirmation prompts from a script of answers, so -WhatIf and -Confirm can be tested.
    /// </summary>
    public sealed class RecordingHost : PSHost
    {
        private readonly Guid _id = Guid.NewGuid();

        public RecordingHost() => RecordingUI = new RecordingHostUI();

        public RecordingHostUI RecordingUI { get; }

        public override PSHostUserInterface UI => RecordingUI;

        public override string Name => "NewApiSyncTestHost";

        public override Version Version => new Version(1, 0);

        public override Guid InstanceId => _id;

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        public override void EnterNestedPrompt() => throw new NotSupportedException();

        public override void ExitNestedPrompt() => throw new NotSupportedException();

        public override void NotifyBeginApplication() { }

        public override void NotifyEndApplication() { }

        public override void SetShouldExit(int exitCode) { }
    }

    public sealed class RecordingHostUI : PSHostUserInterface
    {
        private readonly ConcurrentQueue<string> _lines = new ConcurrentQueue<string>();

        /// <summary>Answers for PromptForChoice, by label ("&amp;Yes", "Yes to &amp;All", "&amp;No", "No to A&amp;ll" → give "Y", "A", "N", "L").</summary>
        public Queue<string> ChoiceAnswers { get; } = new Queue<string>();

        /// <summary>Every prompt's caption and message, in order.</summary>
        public List<string> Prompts { get; } = new List<string>();

        public ConcurrentQueue<ProgressRecord> Progress { get; } = new ConcurrentQueue<ProgressRecord>();

        public IReadOnlyCollection<string> Lines => _lines.ToArray();

        public IEnumerable<string> WhatIfLines
        {
            get
            {
                foreach (string line in _lines)
                {
                    if (line.StartsWith("What if:", StringComparison.Ordinal))
                    {
                        yield return line;
                    }
                }
            }
        }

        /// <summary>A 120-column console, so table views render as they do in a typical terminal.</summary>
        public override PSHostRawUserInterface? RawUI { get; } = new FixedWidthRawUI(120);

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add($"{caption}: {message}");
            if (ChoiceAnswers.Count == 0)
            {
                throw new InvalidOperationException($"Unexpected prompt: {caption}: {message}");
            }

            string answer = ChoiceAnswers.Dequeue();
            for (int i = 0; i < choices.Count; i++)
            {
                string label = choices[i].Label;
                int amp = label.IndexOf('&');
                string hotkey = amp >= 0 && amp + 1 < label.Length ? label.Substring(amp + 1, 1) : label;
                if (string.Equals(hotkey, answer, StringComparison.OrdinalIgnoreCase) || string.Equals(label.Replace("&", string.Empty), answer, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"No choice '{answer}' among {string.Join(", ", choices)}");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new InvalidOperationException($"Unexpected prompt for input: {caption}: {message}");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new InvalidOperationException("Unexpected credential prompt");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new InvalidOperationException("Unexpected credential prompt");

        public override string ReadLine() => throw new InvalidOperationException("Unexpected ReadLine");

        public override SecureString ReadLineAsSecureString() => throw new InvalidOperationException("Unexpected ReadLineAsSecureString");

        public override void Write(string value) => _lines.Enqueue(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => _lines.Enqueue(value);

        public override void WriteLine(string value) => _lines.Enqueue(value);

        public override void WriteErrorLine(string value) => _lines.Enqueue("ERROR: " + value);

        public override void WriteDebugLine(string message) => _lines.Enqueue("DEBUG: " + message);

        public override void WriteVerboseLine(string message) => _lines.Enqueue("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => _lines.Enqueue("WARNING: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record) => Progress.Enqueue(record);
    }

    /// <summary>A console of fixed width and no screen: enough for PowerShell to lay out tables.</summary>
    public sealed class FixedWidthRawUI : PSHostRawUserInterface
    {
        public FixedWidthRawUI(int width)
        {
            BufferSize = new Size(width, 9999);
            WindowSize = new Size(width, 50);
        }

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

        public override Size BufferSize { get; set; }

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => WindowSize;

        public override Size MaxWindowSize => WindowSize;

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get; set; }

        public override string WindowTitle { get; set; } = string.Empty;

        public override void FlushInputBuffer() { }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new InvalidOperationException("Unexpected ReadKey");

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
