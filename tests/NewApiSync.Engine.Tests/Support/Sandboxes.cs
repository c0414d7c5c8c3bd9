using System;
using System.Security;
using NewApiSync.Engine.Api;
using NewApiSync.Sandbox;

namespace NewApiSync.Engine.Tests.Support
{
    /// <summary>Connections to a sandbox, as a user would make them: the base URL, the token as a SecureString, the user id.</summary>
    internal static class Sandboxes
    {
        public static NewApiConnection Connect(SandboxServer server, string? token = null, int? userId = null, TimeSpan? requestTimeout = null)
        {
            using SecureString secure = Secure(token ?? server.AccessToken);
            return new NewApiConnection(server.BaseUrl, secure, userId ?? server.UserId)
            {
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
                IsSandbox = true,
            };
        }

        public static NewApiClient Client(SandboxServer server, NewApiClientOptions? options = null, string? token = null, int? userId = null, TimeSpan? requestTimeout = null) =>
            new NewApiClient(Connect(server, token, userId, requestTimeout), options);

        public static SecureString Secure(string text)
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
