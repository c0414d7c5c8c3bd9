using System;
using System.Runtime.InteropServices;
using System.Security;

namespace NewApiSync.Engine.Api
{
    /// <summary>Which shape of the admin API a server speaks (see shared/newapi-admin-api.md).</summary>
    // long-based on purpose: ConvertTo-Json writes 64-bit enums by name, so exported results show "Failed", not 1, with no -EnumsAsStrings.
    public enum ServerGeneration : long
    {
        /// <summary>Not yet seen.</summary>
        Unknown,
        /// <summary>Since 2025-06: list data is {items, total, page, page_size}; pages are 1-based.</summary>
        Paged,
        /// <summary>Before 2025-06: list data is a plain array; pages are 0-based.</summary>
        Legacy,
    }

    /// <summary>
    /// Where and as whom to talk to a New API site. The access token is held only as a read-only
    /// <see cref="SecureString"/> and turned into text for the moment a request header is built; it never appears in
    /// <see cref="ToString"/>, messages or files.
    /// </summary>
    public sealed class NewApiConnection
    {
        private readonly SecureString _token;

        public NewApiConnection(string baseUrl, SecureString accessToken, int userId)
        {
            if (accessToken is null || accessToken.Length == 0)
            {
                throw new ArgumentException("The access token is empty. Use the system access token from New API's Personal settings page.");
            }

            if (userId <= 0)
            {
                throw new ArgumentException($"The user id must be a positive number (it was {userId}); it is shown on New API's Personal settings page.");
            }

            BaseUri = SiteAddress.Parse(baseUrl);
            UserId = userId;
            _token = accessToken.Copy();
            _token.MakeReadOnly();
        }

        public Uri BaseUri { get; }

        /// <summary>The normalized site address, e.g. https://newapi.example.com.</summary>
        public string BaseUrl => BaseUri.AbsoluteUri.TrimEnd('/');

        public int UserId { get; }

        /// <summary>What /api/status reported, when it did.</summary>
        public string? ServerVersion { get; set; }

        /// <summary>The list shape this server speaks, learned on first contact and reused.</summary>
        public ServerGeneration Generation { get; set; }

        /// <summary>Per-request timeout; a channel's whole processing is bounded separately.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Opt-in only (with a warning at the prompt): accept any TLS certificate.</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>True when connected to the sandbox rather than a real site.</summary>
        public bool IsSandbox { get; set; }

        /// <summary>
        /// The in-process sandbox server behind this connection (Start-NewApiSandbox), so scripts and tests can inject
        /// faults or inspect requests: <c>$conn.Sandbox.Faults.Add(...)</c>. Null for a real site.
        /// </summary>
        public object? Sandbox { get; set; }

        /// <summary>
        /// Where this connection's journal and settings live, when not the user's data folder: the sandbox keeps its
        /// own throwaway folder so trying things never touches an admin's real history or settings.
        /// </summary>
        public string? DataDirectory { get; set; }

        public DateTimeOffset ConnectedAt { get; set; } = DateTimeOffset.UtcNow;

        /// <summary>Identifies the site's journal: the site's identity (the same for every spelling of its URL) and user id, never the token.</summary>
        public string SiteKey => Storage.DataDirectory.SiteKey(BaseUrl, UserId);

        public bool IsInsecureTransport => SiteAddress.IsInsecure(BaseUri);

        public override string ToString() => $"{BaseUrl} (user {UserId})";

        /// <summary>The Authorization header value. Callers put it on one request and drop it.</summary>
        internal string CreateAuthorizationValue()
        {
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(_token);
                string token = Marshal.PtrToStringUni(ptr, _token.Length).Trim();
                // People paste "Bearer xxx" from browser tools; send it once, not twice.
                return token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token : "Bearer " + token;
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }
    }
}
