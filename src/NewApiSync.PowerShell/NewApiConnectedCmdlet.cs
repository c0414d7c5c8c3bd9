using System;
using System.Globalization;
using System.Management.Automation;
using System.Security;
using NewApiSync.Engine.Api;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell
{
    /// <summary>
    /// Base of the cmdlets that talk to a site. The connection is resolved once per invocation: -Connection, else
    /// the session's default (Connect-NewApi, Start-NewApiSandbox), else the NEWAPI_* environment variables that
    /// scheduled scripts use.
    /// </summary>
    public abstract class NewApiConnectedCmdlet : NewApiCmdlet
    {
        public const string BaseUrlVariable = "NEWAPI_BASE_URL";
        public const string AccessTokenVariable = "NEWAPI_ACCESS_TOKEN";
        public const string UserIdVariable = "NEWAPI_USER_ID";

        private NewApiConnection? _resolved;

        /// <summary>The site to use; Connect-NewApi -PassThru returns one.</summary>
        [Parameter]
        [ValidateNotNull]
        public NewApiConnection? Connection { get; set; }

        /// <summary>The connection this invocation uses, resolved once in <see cref="BeginProcessing"/>.</summary>
        protected NewApiConnection ResolvedConnection => _resolved ?? throw new InvalidOperationException("The connection is resolved in BeginProcessing, on the pipeline thread.");

        /// <summary>
        /// Resolves the connection on the pipeline thread: the session default hangs off the runspace, which worker
        /// threads cannot see, and a missing configuration must stop the command before any input is processed.
        /// </summary>
        protected override void BeginProcessing()
        {
            _resolved = ResolveConnection();
        }

        private NewApiConnection ResolveConnection()
        {
            if (Connection is not null)
            {
                return Connection;
            }

            if (ModuleSession.Current.DefaultConnection is NewApiConnection current)
            {
                return current;
            }

            string? baseUrl = Environment.GetEnvironmentVariable(BaseUrlVariable);
            string? token = Environment.GetEnvironmentVariable(AccessTokenVariable);
            string? userText = Environment.GetEnvironmentVariable(UserIdVariable);
            var missing = new System.Collections.Generic.List<string>();
            if (string.IsNullOrWhiteSpace(baseUrl))
            {
                missing.Add(BaseUrlVariable);
            }

            if (string.IsNullOrWhiteSpace(token))
            {
                missing.Add(AccessTokenVariable);
            }

            if (string.IsNullOrWhiteSpace(userText))
            {
                missing.Add(UserIdVariable);
            }

            if (missing.Count > 0)
            {
                throw Terminate(ErrorRecords.Create(
                    "NewApiConfigurationMissing",
                    ErrorCategory.InvalidOperation,
                    $"No New API site to talk to: there is no -Connection, no Connect-NewApi in this session, and the environment variable{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)} {(missing.Count > 1 ? "are" : "is")} not set.",
                    null,
                    $"Run Connect-NewApi (or Start-NewApiSandbox to try things out), or set {string.Join(", ", missing)} for scheduled scripts."));
            }

            if (!int.TryParse(userText!.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int userId) || userId <= 0)
            {
                throw Terminate(ErrorRecords.Create(
                    "NewApiConfigurationInvalid",
                    ErrorCategory.InvalidArgument,
                    $"The environment variable {UserIdVariable} must be a positive whole number (the user id from New API's Personal settings).",
                    null,
                    $"Set {UserIdVariable} to your New API user id."));
            }

            try
            {
                using SecureString secure = ToSecureString(token!);
                var connection = new NewApiConnection(baseUrl!, secure, userId) { FromEnvironment = true };
                WarnIfInsecure(connection, $"{BaseUrlVariable} ({connection.BaseUrl})");

                return connection;
            }
            catch (InvalidAccessTokenException ex)
            {
                throw Terminate(ErrorRecords.Create(
                    "NewApiConfigurationInvalid",
                    ErrorCategory.InvalidArgument,
                    $"The environment variable {AccessTokenVariable} is not usable: {ex.Message}",
                    null,
                    $"Set {AccessTokenVariable} to the system access token alone, with no line break or other characters around it.",
                    ex));
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create(
                    "NewApiConfigurationInvalid",
                    ErrorCategory.InvalidArgument,
                    $"The environment variable {BaseUrlVariable} is not usable: {ex.Message}",
                    null,
                    $"Set {BaseUrlVariable} to the site's address, e.g. https://newapi.example.com.",
                    ex));
            }
        }

        /// <summary>Creates a client for one invocation; the caller disposes it.</summary>
        internal NewApiClient CreateClient(INewApiLog log, RequestThrottle? throttle = null) =>
            new NewApiClient(ResolvedConnection, new NewApiClientOptions { Log = log, Throttle = throttle });

        internal static SecureString ToSecureString(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
