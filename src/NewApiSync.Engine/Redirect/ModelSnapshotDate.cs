using System;
using System.Globalization;

namespace NewApiSync.Engine.Redirect
{
    /// <summary>
    /// The date of a model snapshot stamp (<c>-2025-09-29</c>, <c>-202509</c>, <c>-0613</c>, ...). Stamps may lack the
    /// year (<c>-0613</c>, <c>-09-29</c>) or the day (<c>-202509</c>, <c>-09-2025</c>), so each part is optional except
    /// the month.
    /// </summary>
    /// <remarks>
    /// Ordering uses <see cref="SortKey"/> = year × 10000 + month × 100 + day, with a missing year or day counted as 0.
    /// So stamps of one kind order by date among themselves (<c>-0125</c> before <c>-0613</c>); a stamp without a year
    /// sorts before every stamp with one (such stamps are OpenAI's 2023–2024 MMDD era, older than any full date a
    /// provider still serves next to them); a month-only stamp sorts before the first day of that month.
    /// </remarks>
    public readonly struct ModelSnapshotDate : IEquatable<ModelSnapshotDate>, IComparable<ModelSnapshotDate>
    {
        public ModelSnapshotDate(int? year, int month, int? day)
        {
            if (!IsValid(year, month, day))
            {
                throw new ArgumentOutOfRangeException(nameof(day), $"{year}-{month}-{day} is not a calendar date.");
            }

            Year = year;
            Month = month;
            Day = day;
        }

        /// <summary>Null for stamps that give no year (<c>-0613</c>, <c>-09-29</c>).</summary>
        public int? Year { get; }

        public int Month { get; }

        /// <summary>Null for stamps that give no day (<c>-202509</c>, <c>-09-2025</c>).</summary>
        public int? Day { get; }

        /// <summary>A number that orders stamps newest-last; see the remarks on the type.</summary>
        public int SortKey => ((Year ?? 0) * 10000) + (Month * 100) + (Day ?? 0);

        /// <summary>True when a day can exist in that month; a stamp without a year allows 29 February.</summary>
        internal static bool IsValid(int? year, int month, int? day) =>
            month >= 1 && month <= 12 &&
            (day is not int d || (d >= 1 && d <= DateTime.DaysInMonth(year ?? LeapYear, month)));

        public int CompareTo(ModelSnapshotDate other) => SortKey.CompareTo(other.SortKey);

        public bool Equals(ModelSnapshotDate other) => Year == other.Year && Month == other.Month && Day == other.Day;

        public override bool Equals(object? obj) => obj is ModelSnapshotDate other && Equals(other);

        public override int GetHashCode() => SortKey;

        /// <summary>ISO 8601 forms: 2025-09-29, 2025-09, --06-13 (no year).</summary>
        public override string ToString()
        {
            string monthDay = Day is int d
                ? string.Format(CultureInfo.InvariantCulture, "{0:D2}-{1:D2}", Month, d)
                : Month.ToString("D2", CultureInfo.InvariantCulture);
            return Year is int y ? y.ToString(CultureInfo.InvariantCulture) + "-" + monthDay : "--" + monthDay;
        }

        public static bool operator ==(ModelSnapshotDate left, ModelSnapshotDate right) => left.Equals(right);

        public static bool operator !=(ModelSnapshotDate left, ModelSnapshotDate right) => !left.Equals(right);

        // Any leap year: a stamp without a year may name 29 February.
        private const int LeapYear = 2000;
    }
}
