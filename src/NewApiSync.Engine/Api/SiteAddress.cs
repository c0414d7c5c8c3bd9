using System;
using System.Net;

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

        /// <summary>True for plain http:// to a host that is not this machine: the token would cross the network in clear.</summary>
        public static bool IsInsecure(Uri baseUri) => baseUri.Scheme == Uri.UriSchemeHttp && !IsLoopback(baseUri);

        public static bool IsLoopback(Uri uri) =>
            uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase) ||
            (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }
}
