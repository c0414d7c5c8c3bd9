using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace NewApiSync.Engine.Api
{
    /// <summary>Validates and normalizes the base URL of a New API site.</summary>
    public static class SiteAddress
    {
        /// <summary>
        /// Returns the site's base URL as <c>scheme://host[:port][/path]</c> with no trailing slash, or throws
        /// <see cref="ArgumentException"/> saying exactly what is wrong with the text.
        /// </summary>
        public static Uri Parse(string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException("The base URL is empty. Give the address of the New API site, e.g. https://newapi.example.com.");
            }

            string trimmed = text!.Trim();
            // On Unix "/api/x" parses as an absolute file: URI, so insist on an explicit scheme first.
            if (trimmed.IndexOf("://", StringComparison.Ordinal) < 0 || !Uri.TryCreate(trimmed, UriKind.Absolute, out Uri? uri))
            {
                throw new ArgumentException($"'{trimmed}' is not an absolute URL. Give the address of the New API site, e.g. https://newapi.example.com.");
            }

            if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            {
                throw new ArgumentException($"'{trimmed}' uses the scheme '{uri.Scheme}'; a New API site is reached over https:// (or http:// on a trusted network).");
            }

            if (string.IsNullOrEmpty(uri.Host))
            {
                throw new ArgumentException($"'{trimmed}' is not an absolute URL: it names no host. Give the address of the New API site, e.g. https://newapi.example.com.");
            }

            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                throw new ArgumentException("The base URL must not contain a user name or password; pass the access token with -AccessToken.");
            }

            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
            {
                throw new ArgumentException($"The base URL must not contain a query or fragment; give only the site's address, e.g. {uri.Scheme}://{uri.Authority}.");
            }

            string path = uri.AbsolutePath.TrimEnd('/');
            return new Uri($"{uri.Scheme}://{uri.Authority}{path}", UriKind.Absolute);
        }

        /// <summary>
        /// The site key: the site's <see cref="Identity"/> (one text for every spelling of the same site), '#', user id.
        /// It names the site's journal and history folder; never the token.
        /// </summary>
        public static string SiteKey(string baseUrl, int userId) =>
            Identity(baseUrl) + "#" + userId.ToString(System.Globalization.CultureInfo.InvariantCulture);

        /// <summary>
        /// The site's identity: one text for every spelling of the same New API site, which keys its run lock and its
        /// history. It is the normalized base URL (scheme, host, port unless default, path, no trailing slash), in lower
        /// case, with the host made canonical:
        /// <list type="bullet">
        /// <item>this machine (<c>localhost</c>, <c>*.localhost</c>, any loopback address, or a name that resolves only to
        /// loopback addresses) is <c>localhost</c>;</item>
        /// <item>an IP address is written in its canonical form (an IPv4-mapped IPv6 address as IPv4);</item>
        /// <item>a name that resolves to exactly one private address (10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7,
        /// fe80::/10) is that address, so a LAN name and its IP are one site;</item>
        /// <item>any other name (a public site, often behind changing CDN addresses) stays as written, lower case.</item>
        /// </list>
        /// Names are resolved once per process, with a 2-second limit; a name that cannot be resolved stays as written.
        /// </summary>
        public static string Identity(string baseUrl)
        {
            Uri uri = Parse(baseUrl);
            string host = CanonicalHost(uri.Host);
            string port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return (uri.Scheme + "://" + host + port + uri.AbsolutePath.TrimEnd('/')).ToLowerInvariant();
        }

        /// <summary>How names are resolved for <see cref="Identity"/> (tests put a fixed table here).</summary>
        internal static Func<string, IPAddress[]> Resolve { get; set; } = ResolveWithLimit;

        private static readonly ConcurrentDictionary<string, string> ResolvedHosts = new ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        internal static void ForgetResolvedHosts() => ResolvedHosts.Clear();

        private static string CanonicalHost(string host)
        {
            string name = host.Trim('[', ']').TrimEnd('.').ToLowerInvariant();
            if (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal))
            {
                return "localhost";
            }

            if (IPAddress.TryParse(name, out IPAddress? ip))
            {
                return CanonicalAddress(ip);
            }

            return ResolvedHosts.GetOrAdd(name, n =>
            {
                IPAddress[] addresses = Resolve(n);
                if (addresses.Length > 0 && addresses.All(IPAddress.IsLoopback))
                {
                    return "localhost";
                }

                string[] distinct = addresses.Select(CanonicalAddress).Distinct(StringComparer.Ordinal).ToArray();
                return distinct.Length == 1 && IsPrivate(addresses[0]) ? distinct[0] : n;
            });
        }

        private static string CanonicalAddress(IPAddress ip)
        {
            if (ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4();
            }

            if (IPAddress.IsLoopback(ip))
            {
                return "localhost";
            }

            return ip.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + new IPAddress(ip.GetAddressBytes()) + "]" : ip.ToString();
        }

        private static bool IsPrivate(IPAddress ip)
        {
            if (ip.IsIPv4MappedToIPv6)
            {
                ip = ip.MapToIPv4();
            }

            byte[] b = ip.GetAddressBytes();
            return ip.AddressFamily == AddressFamily.InterNetwork
                ? b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
                : (b[0] & 0xFE) == 0xFC || (b[0] == 0xFE && (b[1] & 0xC0) == 0x80);
        }

        private static IPAddress[] ResolveWithLimit(string name)
        {
            try
            {
                var lookup = Dns.GetHostAddressesAsync(name);
                return lookup.Wait(TimeSpan.FromSeconds(2)) ? lookup.Result : Array.Empty<IPAddress>();
            }
            catch (Exception ex) when (ex is SocketException or AggregateException or ArgumentException)
            {
                return Array.Empty<IPAddress>();
            }
        }

        /// <summary>True for plain http:// to a host that is not this machine: the token would cross the network in clear.</summary>
        public static bool IsInsecure(Uri baseUri) => baseUri.Scheme == Uri.UriSchemeHttp && !IsLoopback(baseUri);

        public static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }
}
