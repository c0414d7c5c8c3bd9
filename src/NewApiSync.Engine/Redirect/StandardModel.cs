namespace NewApiSync.Engine.Redirect
{
    /// <summary>One entry of the built-in standard list that Get-NewApiStandardModel shows.</summary>
    public sealed class StandardModel
    {
        public StandardModel(string name, string vendor)
        {
            Name = name;
            Vendor = vendor;
        }

        /// <summary>The undated alias downstream apps call, e.g. <c>claude-4.5-sonnet</c>.</summary>
        public string Name { get; }

        public string Vendor { get; }

        public override string ToString() => Name;
    }
}
