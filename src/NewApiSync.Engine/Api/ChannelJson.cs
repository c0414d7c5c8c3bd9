using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using NewApiSync.Engine.Channels;

namespace NewApiSync.Engine.Api
{
    /// <summary>
    /// Reads channels and model lists out of admin API replies. Strict about types: a reply that cannot be fully
    /// understood is a Protocol error, so nothing is ever written on the strength of half a reply.
    /// </summary>
    internal static class ChannelJson
    {
        /// <summary>The most model names one upstream list may have (documented in about_NewApiSync).</summary>
        public const int MaxUpstreamModels = 20_000;

        private static readonly HashSet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "id", "type", "name", "status", "models", "model_mapping", "group", "tag", "priority", "weight", "base_url", "key",
        };

        public static Channel ReadChannel(JsonElement element, string request)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Protocol(request, $"a channel is {element.ValueKind}, expected an object");
            }

            int id = 0;
            bool hasId = false;
            int type = 0;
            int status = 0;
            string? name = null, models = null, mapping = null, group = null, tag = null, baseUrl = null;
            long? priority = null, weight = null;
            Dictionary<string, string>? extra = null;
            UpstreamUpdateSettings upstreamUpdate = UpstreamUpdateSettings.None;

            foreach (JsonProperty property in element.EnumerateObject())
            {
                JsonElement value = property.Value;
                switch (property.Name)
                {
                    case "id":
                        id = ReadInt(value, "id", request, nullable: false) ?? 0;
                        hasId = true;
                        break;
                    case "type":
                        type = ReadInt(value, "type", request, nullable: true) ?? 0;
                        break;
                    case "status":
                        status = ReadInt(value, "status", request, nullable: true) ?? 0;
                        break;
                    case "name":
                        name = ReadString(value, "name", request);
                        break;
                    case "models":
                        // New API's models column is a non-null string. Reading null as "no models" would let a sync
                        // drop live redirect aliases and journal an empty OldModels that no restore could bring back.
                        models = value.ValueKind == JsonValueKind.Null
                            ? throw Protocol(request, "channel field 'models' is null, expected a string")
                            : ReadString(value, "models", request);
                        break;
                    case "model_mapping":
                        // Some forks return the mapping as an object rather than a string; keep its text either way.
                        mapping = value.ValueKind == JsonValueKind.Object ? value.GetRawText() : ReadString(value, "model_mapping", request);
                        break;
                    case "group":
                        group = ReadString(value, "group", request);
                        break;
                    case "tag":
                        tag = ReadString(value, "tag", request);
                        break;
                    case "base_url":
                        baseUrl = ReadString(value, "base_url", request);
                        break;
                    case "priority":
                        priority = ReadLong(value, "priority", request);
                        break;
                    case "weight":
                        weight = ReadLong(value, "weight", request);
                        break;
                    case "key":
                        // Never kept: listings send "" but a fork might not.
                        break;
                    case "settings":
                        // Read for the server's own upstream update settings, and kept as it came; never sent back.
                        upstreamUpdate = UpstreamUpdateSettings.FromSettingsField(value.GetRawText());
                        extra ??= new Dictionary<string, string>(StringComparer.Ordinal);
                        extra[property.Name] = value.GetRawText();
                        break;
                    default:
                        if (!KnownFields.Contains(property.Name))
                        {
                            extra ??= new Dictionary<string, string>(StringComparer.Ordinal);
                            extra[property.Name] = value.GetRawText();
                        }

                        break;
                }
            }

            if (!hasId || id <= 0)
            {
                throw Protocol(request, "a channel has no positive id");
            }

            return new Channel(id, name ?? string.Empty, ChannelModelList.Parse(models), mapping)
            {
                Type = type,
                Status = Enum.IsDefined(typeof(ChannelStatus), status) ? (ChannelStatus)status : ChannelStatus.Unknown,
                Group = group,
                Tag = tag,
                BaseUrl = baseUrl,
                Priority = priority,
                Weight = weight,
                UpstreamUpdate = upstreamUpdate,
                AdditionalFields = (IReadOnlyDictionary<string, string>?)extra ?? new Dictionary<string, string>(),
            };
        }

        public static List<Channel> ReadChannelArray(JsonElement array, string request)
        {
            if (array.ValueKind != JsonValueKind.Array)
            {
                throw Protocol(request, $"the channel list is {array.ValueKind}, expected an array");
            }

            var channels = new List<Channel>(array.GetArrayLength());
            foreach (JsonElement item in array.EnumerateArray())
            {
                channels.Add(ReadChannel(item, request));
            }

            return channels;
        }

        public static List<string> ReadModelNames(JsonElement data, string request)
        {
            if (data.ValueKind == JsonValueKind.Null || data.ValueKind == JsonValueKind.Undefined)
            {
                return new List<string>();
            }

            if (data.ValueKind != JsonValueKind.Array)
            {
                throw Protocol(request, $"the model list is {data.ValueKind}, expected an array of names");
            }

            int count = data.GetArrayLength();
            if (count > MaxUpstreamModels)
            {
                // Checked before any name becomes a string: a list this long is not a provider's model list, and keeping
                // millions of names per worker is what lets big replies exhaust memory.
                throw Protocol(request, $"the model list has {count.ToString("N0", CultureInfo.InvariantCulture)} names, more than the {MaxUpstreamModels.ToString("N0", CultureInfo.InvariantCulture)} a channel can hold");
            }

            var names = new List<string>(count);
            foreach (JsonElement item in data.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    throw Protocol(request, $"the model list holds a {item.ValueKind}, expected only names");
                }

                names.Add(TextOf(item) ?? throw Protocol(request, "the model list holds a name that is not valid text"));
            }

            return names;
        }

        private static string? ReadString(JsonElement value, string field, string request) => value.ValueKind switch
        {
            JsonValueKind.String => TextOf(value) ?? throw Protocol(request, $"channel field '{field}' is not valid text"),
            JsonValueKind.Null => null,
            _ => throw Protocol(request, $"channel field '{field}' is {value.ValueKind}, expected a string"),
        };

        private static int? ReadInt(JsonElement value, string field, string request, bool nullable)
        {
            if (value.ValueKind == JsonValueKind.Null && nullable)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number))
            {
                return number;
            }

            throw Protocol(request, $"channel field '{field}' is {Describe(value)}, expected a whole number");
        }

        private static long? ReadLong(JsonElement value, string field, string request)
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number))
            {
                return number;
            }

            throw Protocol(request, $"channel field '{field}' is {Describe(value)}, expected a whole number");
        }

        private static string Describe(JsonElement value) =>
            value.ValueKind == JsonValueKind.Number ? $"the number {Truncate(value.GetRawText())}" : value.ValueKind.ToString();

        private static string Truncate(string text) => text.Length <= 32 ? text : text.Substring(0, 32) + "…";

        /// <summary>
        /// A JSON string's text, or null when it cannot be text: an escaped lone surrogate ("\ud800") is valid JSON that
        /// JsonElement.GetString refuses with InvalidOperationException, which must not escape the client unclassified.
        /// </summary>
        internal static string? TextOf(JsonElement value)
        {
            try
            {
                return value.GetString();
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        internal static NewApiException Protocol(string request, string detail) =>
            new NewApiException(NewApiErrorKind.Protocol, $"{request}: the server's reply could not be understood: {detail}.")
            {
                Request = request,
                HttpStatus = 200,
            };
    }
}
