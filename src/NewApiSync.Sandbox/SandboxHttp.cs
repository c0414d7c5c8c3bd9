using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace NewApiSync.Sandbox
{
    /// <summary>A parsed HTTP/1.1 request: just what the admin API needs (no chunked bodies: clients send Content-Length).</summary>
    internal sealed class SandboxHttpRequest
    {
        public string Method { get; set; } = string.Empty;

        public string Path { get; set; } = string.Empty;

        public string Query { get; set; } = string.Empty;

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Body { get; set; } = string.Empty;

        public bool KeepAlive => !Headers.TryGetValue("connection", out string? value) || !value.Equals("close", StringComparison.OrdinalIgnoreCase);

        public string? QueryValue(string name)
        {
            foreach (string part in Query.Split('&'))
            {
                int eq = part.IndexOf('=');
                string key = eq < 0 ? part : part.Substring(0, eq);
                if (Uri.UnescapeDataString(key) == name)
                {
                    return eq < 0 ? string.Empty : Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '));
                }
            }

            return null;
        }
    }

    /// <summary>What the server sends back: a status and body, optionally after a delay, or a connection reset.</summary>
    internal sealed class SandboxReply
    {
        public SandboxReply(int status, string contentType, byte[] body)
        {
            Status = status;
            ContentType = contentType;
            Body = body;
        }

        public int Status { get; }

        public string ContentType { get; }

        public byte[] Body { get; }

        public TimeSpan Delay { get; private set; }

        public TimeSpan? RetryAfter { get; private set; }

        public bool Reset { get; private set; }

        /// <summary>No Content-Length: the body ends when the connection closes, so a client cannot know its size in advance.</summary>
        public bool CloseDelimited { get; internal set; }

        /// <summary>The Location header of a redirect, when set.</summary>
        public string? Location { get; private set; }

        public static SandboxReply Text(int status, string contentType, string body) => new SandboxReply(status, contentType, Encoding.UTF8.GetBytes(body));

        public static SandboxReply ConnectionReset() => new SandboxReply(0, string.Empty, new byte[0]) { Reset = true };

        /// <summary>429 with an empty body, as New API's rate limiter sends it.</summary>
        public static SandboxReply RateLimited(TimeSpan? retryAfter) => new SandboxReply(429, string.Empty, new byte[0]) { RetryAfter = retryAfter };

        public SandboxReply WithLocation(string location)
        {
            Location = location;
            return this;
        }

        public SandboxReply WithDelay(TimeSpan delay)
        {
            Delay = delay;
            return this;
        }
    }

    /// <summary>Reads requests from and writes replies to one connection.</summary>
    internal static class SandboxWire
    {
        private const int MaxHeaderBytes = 64 * 1024;
        private const int MaxBodyBytes = 16 * 1024 * 1024;

        /// <summary>Reads the next request, or null when the client closed the connection between requests.</summary>
        public static async Task<SandboxHttpRequest?> ReadRequestAsync(Stream stream, MemoryStream pending, CancellationToken cancellationToken, byte[]? chunk = null)
        {
            // The caller's buffer when it keeps one per connection (one per request was 8 KB per request).
            chunk ??= new byte[8192];
            int headerEnd;
            while ((headerEnd = IndexOfHeaderEnd(pending)) < 0)
            {
                if (pending.Length > MaxHeaderBytes)
                {
                    throw new InvalidDataException("request headers too large");
                }

                int read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                pending.Write(chunk, 0, read);
            }

            byte[] buffered = pending.ToArray();
            string head = Encoding.ASCII.GetString(buffered, 0, headerEnd);
            string[] lines = head.Split(new[] { "\r\n" }, StringSplitOptions.None);
            string[] requestLine = lines[0].Split(' ');
            if (requestLine.Length < 3)
            {
                throw new InvalidDataException("malformed request line");
            }

            var request = new SandboxHttpRequest { Method = requestLine[0] };
            string target = requestLine[1];
            int q = target.IndexOf('?');
            request.Path = q < 0 ? target : target.Substring(0, q);
            request.Query = q < 0 ? string.Empty : target.Substring(q + 1);
            for (int i = 1; i < lines.Length; i++)
            {
                int colon = lines[i].IndexOf(':');
                if (colon > 0)
                {
                    request.Headers[lines[i].Substring(0, colon).Trim().ToLowerInvariant()] = lines[i].Substring(colon + 1).Trim();
                }
            }

            int length = request.Headers.TryGetValue("content-length", out string? lengthText) && int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 0;
            if (length > MaxBodyBytes)
            {
                throw new InvalidDataException("request body too large");
            }

            int bodyStart = headerEnd + 4;
            var body = new MemoryStream();
            body.Write(buffered, bodyStart, Math.Min(length, buffered.Length - bodyStart));
            while (body.Length < length)
            {
                int read = await stream.ReadAsync(chunk, 0, (int)Math.Min(chunk.Length, length - body.Length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new EndOfStreamException("the client closed the connection mid-body");
                }

                body.Write(chunk, 0, read);
            }

            request.Body = Encoding.UTF8.GetString(body.ToArray());

            // Keep whatever followed this request (a pipelined next request) for the next read.
            int consumed = bodyStart + Math.Min(length, buffered.Length - bodyStart);
            pending.SetLength(0);
            pending.Write(buffered, consumed, buffered.Length - consumed);
            return request;
        }

        public static async Task WriteReplyAsync(Stream stream, SandboxReply reply, bool keepAlive, CancellationToken cancellationToken)
        {
            var head = new StringBuilder(256);
            head.Append("HTTP/1.1 ").Append(reply.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Reason(reply.Status)).Append("\r\n");
            head.Append("Date: ").Append(DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture)).Append("\r\n");
            if (reply.ContentType.Length > 0)
            {
                head.Append("Content-Type: ").Append(reply.ContentType).Append("\r\n");
            }

            if (reply.RetryAfter is TimeSpan retryAfter)
            {
                head.Append("Retry-After: ").Append(((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }

            if (reply.Location is string location)
            {
                head.Append("Location: ").Append(location).Append("\r\n");
            }

            if (!reply.CloseDelimited)
            {
                head.Append("Content-Length: ").Append(reply.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            }

            head.Append(keepAlive && !reply.CloseDelimited ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
            head.Append("\r\n");
            byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
            await stream.WriteAsync(headBytes, 0, headBytes.Length, cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(reply.Body, 0, reply.Body.Length, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public static async Task WritePartialReplyAsync(Stream stream, CancellationToken cancellationToken)
        {
            byte[] partial = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 4096\r\n\r\n{\"success\":tr");
            await stream.WriteAsync(partial, 0, partial.Length, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        private static int IndexOfHeaderEnd(MemoryStream pending)
        {
            byte[] buffer = pending.GetBuffer();
            int length = (int)pending.Length;
            for (int i = 0; i + 3 < length; i++)
            {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }

        private static string Reason(int status) => status switch
        {
            200 => "OK",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            502 => "Bad Gateway",
            _ => ((HttpStatusCode)status).ToString(),
        };
    }
}
