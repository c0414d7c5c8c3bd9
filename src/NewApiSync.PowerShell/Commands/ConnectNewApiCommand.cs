using System;
using System.Management.Automation;
using System.Security;
using NewApiSync.Engine.Api;
using NewApiSync.PowerShell.Internal;

namespace NewApiSync.PowerShell.Commands
{
    /// <summary>
    /// Checks the site and the credentials with one authenticated call, then makes the connection the session's
    /// default for every other NewApiSync command.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "NewApi")]
    [OutputType(typeof(NewApiConnection))]
    public sealed class ConnectNewApiCommand : NewApiCmdlet
    {
        /// <summary>The site's address, e.g. https://newapi.example.com.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string BaseUrl { get; set; } = string.Empty;

        /// <summary>The user's system access token (New API: Personal settings), not an sk- relay key.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNull]
        [SecureTokenTransformation]
        public SecureString AccessToken { get; set; } = null!;

        /// <summary>The id of the user who owns the token (New API sends it as New-Api-User).</summary>
        [Parameter(Mandatory = true, Position = 2)]
        [ValidateRange(1, int.MaxValue)]
        public int UserId { get; set; }

        /// <summary>Seconds one request may take before it is abandoned.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int RequestTimeoutSec { get; set; } = 30;

        /// <summary>Accept any TLS certificate (self-signed staging sites). Off by default; warns when used.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>Return the connection, e.g. to pass to -Connection later.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            NewApiConnection connection;
            try
            {
                connection = new NewApiConnection(BaseUrl, AccessToken, UserId)
                {
                    RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSec),
                    SkipCertificateCheck = SkipCertificateCheck.IsPresent,
                };
            }
            catch (InvalidAccessTokenException ex)
            {
                // The message says where the bad character is, never what the token is; the target is not the token either.
                throw Terminate(ErrorRecords.Create("InvalidAccessToken", ErrorCategory.InvalidArgument, ex.Message, null,
                    "Copy the system access token again from New API (Personal settings → System access token) and pass it with -AccessToken.", ex));
            }
            catch (ArgumentException ex)
            {
                throw Terminate(ErrorRecords.Create("InvalidBaseUrl", ErrorCategory.InvalidArgument, ex.Message, BaseUrl, "Give the site's address, e.g. https://newapi.example.com.", ex));
            }

            WarnIfInsecure(connection, connection.BaseUrl);

            if (connection.SkipCertificateCheck)
            {
                WriteWarning("-SkipCertificateCheck: the site's TLS certificate is not checked, so anyone in the path could read the access token. Use it only for a staging site you control.");
            }

            try
            {
                RunOnWorker(async (log, ct) =>
                {
                    using var client = new NewApiClient(connection, new NewApiClientOptions { Log = log });
                    try
                    {
                        connection.ServerVersion = await client.GetServerVersionAsync(ct).ConfigureAwait(false);
                    }
                    catch (NewApiException ex) when (ex.Kind is NewApiErrorKind.NotFound or NewApiErrorKind.Protocol or NewApiErrorKind.Rejected)
                    {
                        // Forks and proxies may not expose /api/status; the authenticated check below decides.
                        log.Verbose($"The site did not report its version ({ex.Kind}).");
                    }

                    await client.VerifyAccessAsync(ct).ConfigureAwait(false);
                    return true;
                });
            }
            catch (NewApiException ex)
            {
                throw Terminate(ErrorRecords.FromApi(ex, "NewApiConnectFailed", connection, connecting: true));
            }

            WriteVerbose($"Connected to {connection} (server {connection.ServerVersion ?? "version unknown"}, {connection.Generation} channel list).");
            ModuleSession.Current.DefaultConnection = connection;
            if (PassThru)
            {
                WriteObject(connection);
            }
        }
    }
}
