namespace NewApiSync.Engine.Journal
{
    internal enum JournalLineType
    {
        /// <summary>A line type from a later format version (or none): readers ignore it.</summary>
        Unknown,
        RunStart,
        Channel,
        RunEnd,
        /// <summary>The undo record written before a write is sent; a later Channel line of the channel replaces it.</summary>
        Intent,
    }
}
