namespace NewApiSync.Engine.Journal
{
    internal enum JournalLineType
    {
        /// <summary>A line type from a later format version (or none): readers ignore it.</summary>
        Unknown,
        RunStart,
        Channel,
        RunEnd,
    }
}
