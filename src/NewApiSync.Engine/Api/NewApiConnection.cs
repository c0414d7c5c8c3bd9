using System;
using System.Runtime.InteropServices;
using System.Security;

namespace NewApiSync.Engine.Api
{
    /// <summary>Which shape of the admin API a server speaks (see docs/newapi-admin-api.md).</summary>
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
                throw new InvalidAccessTokenException("The access token is empty. Use the system access token from New API's Personal settings page.");
            }

            CheckTokenCharacters(accessToken);
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

        /// <summary>
        /// True when the credentials came from the NEWAPI_* environment variables (a scheduled run): a refused token is
        /// then fixed in NEWAPI_ACCESS_TOKEN, not with Connect-NewApi.
        /// </summary>
        public bool FromEnvironment { get; set; }

        public DateTimeOffset ConnectedAt { get; set; } = DateTimeOffset.UtcNow;

        /// <summary>Identifies the site's journal: the site's identity (the same for every spelling of its URL) and user id, never the token.</summary>
        public string SiteKey => SiteAddress.SiteKey(BaseUrl, UserId);

        public bool IsInsecureTransport => SiteAddress.IsInsecure(BaseUri);

        public override string ToString() => $"{BaseUrl} (user {UserId})";

        /// <summary>
        /// A token travels in an HTTP header: a CR/LF in it would inject headers, and any other control or non-ASCII
        /// character cannot be sent. Whitespace around it (a newline pasted from a file) is trimmed when it is sent, so only
        /// what is inside counts. The message gives the position, never the token.
        /// </summary>
        private static void CheckTokenCharacters(SecureString token)
        {
            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(token);
                int length = token.Length;
                int start = 0, end = length - 1;
                while (start < length && char.IsWhiteSpace((char)Marshal.ReadInt16(ptr, start * 2)))
                {
                    start++;
                }

                while (end >= start && char.IsWhiteSpace((char)Marshal.ReadInt16(ptr, end * 2)))
                {
                    end--;
                }

                if (start > end)
                {
                    throw new InvalidAccessTokenException("The access token is only whitespace. Use the system access token from New API's Personal settings page.");
                }

                for (int i = start; i <= end; i++)
                {
                    char c = (char)Marshal.ReadInt16(ptr, i * 2);
                    if (c < 0x20 || c >= 0x7F)
                    {
                        string what = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ? "a control character" : "a character that is not plain ASCII";
                        throw new InvalidAccessTokenException(
                            $"The access token contains {what} at position {(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)} (a line break or tab copied with it?). A New API access token is plain letters and digits; copy it again from Personal settings → System access token.");
                    }
                }
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }

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

    /// <summary>
    /// The access token cannot be used (empty, whitespace, control or non-ASCII characters). A type of its own so callers
    /// tell it from a bad address; its message never contains the token.
    /// </summary>
    public sealed class InvalidAccessTokenException : ArgumentException
    {
        public InvalidAccessTokenException(string message)
            : base(message)
        {
        }
    }
}
