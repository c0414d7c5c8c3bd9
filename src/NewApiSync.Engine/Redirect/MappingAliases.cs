namespace NewApiSync.Engine.Redirect
{
    /// <summary>New API's reading of one mapping entry (relay/helper/model_mapped.go).</summary>
    internal static class MappingAliases
    {
        /// <summary>
        /// True when requests for <paramref name="key"/> are sent elsewhere, i.e. the key is an alias rather than a model
        /// the upstream serves. New API ignores an empty target, and a self-mapping changes nothing.
        /// </summary>
        public static bool Redirects(string key, string target) => target.Length > 0 && !string.Equals(key, target, System.StringComparison.Ordinal);
    }
}
