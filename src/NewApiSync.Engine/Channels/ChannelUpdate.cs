namespace NewApiSync.Engine.Channels
{
    /// <summary>
    /// A partial channel update: New API's PUT /api/channel/ writes only the fields present, and newer servers
    /// reject <c>status</c> and treat sensitive or unknown fields as root-only. So this type can only carry the
    /// fields NewApiSync changes.
    /// </summary>
    public sealed class ChannelUpdate
    {
        public ChannelUpdate(int id) => Id = id;

        public int Id { get; }

        /// <summary>The new model list, or null to leave models alone.</summary>
        public ChannelModelList? Models { get; init; }

        /// <summary>The new mapping, or null to leave model_mapping alone. An empty mapping is sent as "{}".</summary>
        public ModelMapping? ModelMapping { get; init; }

        /// <summary>
        /// model_mapping text to send exactly as given, or null. Restore uses it to put back what a channel held before
        /// a run, byte for byte, even when that text was not a valid mapping. Set this or <see cref="ModelMapping"/>,
        /// not both; New API skips an empty string, so an empty mapping must be sent as "{}".
        /// </summary>
        public string? ModelMappingText { get; init; }

        public override string ToString()
        {
            string fields = Models is null ? string.Empty : " models";
            fields += ModelMapping is null && ModelMappingText is null ? string.Empty : " model_mapping";
            return $"channel #{Id}:{fields}";
        }
    }
}
