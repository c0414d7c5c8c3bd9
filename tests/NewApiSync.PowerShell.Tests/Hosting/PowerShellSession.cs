using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace NewApiSync.PowerShell.Tests.Hosting
{
    /// <summary>
    /// One PowerShell 7.6 session (runspace) hosted in the test process with the built module imported from
    /// out/NewApiSync (or $env:NEWAPISYNC_MODULE), exactly as a user imports it.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private readonly Runspace _runspace;

        /// <param name="importModule">Import the module under test once the session is open.</param>
        /// <param name="configure">Changes to the session state before it opens (e.g. extra format files).</param>
        public PowerShellSession(bool importModule = true, Action<InitialSessionState>? configure = null)
        {
            Host = new RecordingHost();
            InitialSessionState state = InitialSessionState.CreateDefault2();
            configure?.Invoke(state);
            _runspace = RunspaceFactory.CreateRunspace(Host, state);
            _runspace.Open();
            if (importModule)
            {
                Run($"Import-Module -Name '{ModuleManifest}' -ErrorAction Stop");
            }
        }

        public RecordingHost Host { get; }

        /// <summary>
        /// A session on a fresh sample sandbox (12 channels, its own data folder) with fast, short retries, so failures
        /// do not wait; <c>$sbx</c> is its connection.
        /// </summary>
        public static PowerShellSession WithSandbox(string startArguments = "")
        {
            var session = new PowerShellSession();
            session.Run($"$sbx = Start-NewApiSandbox {startArguments}; Set-NewApiSyncSetting -MaxRetries 1 -RequestsPerMinute 6000 -Burst 100");
            return session;
        }

        /// <summary>The module manifest under test.</summary>
        public static string ModuleManifest
        {
            get
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable("NEWAPISYNC_MODULE");
                if (!string.IsNullOrEmpty(fromEnvironment))
                {
                    return fromEnvironment!;
                }

                string path = Path.Combine(RepositoryRoot, "out", "NewApiSync", "NewApiSync.psd1");
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"The built module is missing at {path}: build NewApiSync.PS.sln first.");
                }

                return path;
            }
        }

        public static string RepositoryRoot
        {
            get
            {
                for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                {
                    if (File.Exists(Path.Combine(dir.FullName, "NewApiSync.PS.sln")))
                    {
                        return dir.FullName;
                    }
                }

                throw new DirectoryNotFoundException("Cannot find the repository root (NewApiSync.PS.sln) above " + AppContext.BaseDirectory);
            }
        }

        /// <summary>Runs script text; returns its output and keeps its streams in <see cref="Last"/>. Terminating errors throw.</summary>
        public Collection<PSObject> Run(string script, IDictionary<string, object?>? variables = null)
        {
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            if (variables is not null)
            {
                foreach (var pair in variables)
                {
                    _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
                }
            }

            ps.AddScript(script);
            Collection<PSObject> output = ps.Invoke();
            Last = new StreamSnapshot(
                ps.Streams.Error.ToList(),
                ps.Streams.Warning.Select(w => w.Message).ToList(),
                ps.Streams.Verbose.Select(v => v.Message).ToList(),
                ps.Streams.Debug.Select(d => d.Message).ToList(),
                ps.Streams.Progress.ToList(),
                ps.HadErrors);
            return output;
        }

        /// <summary>
        /// Runs script text that writes exactly one object and returns it as <typeparamref name="T"/>, converted the way
        /// PowerShell converts (an int stays an int, an enum becomes its name as a string). A written $null gives default.
        /// </summary>
        public T Scalar<T>(string script, IDictionary<string, object?>? variables = null)
        {
            Collection<PSObject> output = Run(script, variables);
            if (output.Count != 1)
            {
                throw new InvalidOperationException($"Expected one object, got {output.Count}, from: {script}\n{string.Join("\n", Last.Errors)}");
            }

            return output[0] is null ? default! : LanguagePrimitives.ConvertTo<T>(output[0]);
        }

        /// <summary>
        /// Starts script text without waiting, so a test can watch output stream in and stop the pipeline (Ctrl+C)
        /// with <see cref="System.Management.Automation.PowerShell.Stop"/>. The caller disposes the instance.
        /// </summary>
        public System.Management.Automation.PowerShell Begin(string script, PSDataCollection<PSObject> output)
        {
            var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            ps.BeginInvoke<PSObject, PSObject>(null, output);
            return ps;
        }

        /// <summary>
        /// Runs script text expecting a terminating error (a cmdlet's ThrowTerminatingError, which try/catch sees but
        /// which does not stop a script), and returns it.
        /// </summary>
        public ErrorRecord RunExpectingTerminatingError(string script)
        {
            Run("$__terminating = $null\ntry {\n" + script + "\n} catch { $__terminating = $_ }");
            object? caught = GetVariable("__terminating");
            if (caught is PSObject wrapped)
            {
                caught = wrapped.BaseObject;
            }

            return caught as ErrorRecord ?? throw new InvalidOperationException("The script did not throw a terminating error: " + script);
        }

        public object? GetVariable(string name) => _runspace.SessionStateProxy.GetVariable(name);

        public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

        public StreamSnapshot Last { get; private set; } = StreamSnapshot.Empty;

        public void Dispose()
        {
            try
            {
                using var ps = System.Management.Automation.PowerShell.Create();
                ps.Runspace = _runspace;
                ps.AddScript("if (Get-Command Stop-NewApiSandbox -ErrorAction Ignore) { Stop-NewApiSandbox }").Invoke();
            }
            catch (Exception)
            {
                // Best effort: the sandbox is a background listener that ends with the process anyway.
            }

            _runspace.Dispose();
        }
    }

    /// <summary>Reading what cmdlets write: one property of an output object, converted the way PowerShell converts.</summary>
    public static class PSObjectProperties
    {
        public static T Property<T>(this PSObject item, string name)
        {
            PSPropertyInfo property = item.Properties[name] ?? throw new ArgumentException($"{item.BaseObject.GetType().Name} has no property {name}.", nameof(name));
            return property.Value is null ? default! : LanguagePrimitives.ConvertTo<T>(property.Value);
        }
    }

    /// <summary>What one script wrote besides its output.</summary>
    public sealed class StreamSnapshot
    {
        public static readonly StreamSnapshot Empty = new StreamSnapshot(new List<ErrorRecord>(), new List<string>(), new List<string>(), new List<string>(), new List<ProgressRecord>(), false);

        public StreamSnapshot(List<ErrorRecord> errors, List<string> warnings, List<string> verbose, List<string> debug, List<ProgressRecord> progress, bool hadErrors)
        {
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
            Debug = debug;
            Progress = progress;
            HadErrors = hadErrors;
        }

        public List<ErrorRecord> Errors { get; }

        public List<string> Warnings { get; }

        public List<string> Verbose { get; }

        public List<string> Debug { get; }

        public List<ProgressRecord> Progress { get; }

        public bool HadErrors { get; }

        /// <summary>Everything written to any stream, as one text, for leak scans.</summary>
        public string AllText => string.Join("\n", Errors.Select(e => e.ToString() + " " + e.Exception) .Concat(Warnings).Concat(Verbose).Concat(Debug));
    }
}
