using System;
using System.Linq;
using NewApiSync.Engine.Redirect;
using Xunit;

namespace NewApiSync.Engine.Tests.Redirect
{
    public sealed class ModelSnapshotDateTests
    {
        [Fact]
        public void Orders_Each_Kind_By_Date_And_Yearless_Before_Dated()
        {
            string[] names = { "m-2025-07-28", "m-0613", "m-202507", "m-2025-01-25", "m-0125", "m-20240101" };
            string[] ordered = names
                .OrderBy(n => ModelNameNormalizer.Normalize(n).Date!.Value)
                .ToArray();
            Assert.Equal(new[] { "m-0125", "m-0613", "m-20240101", "m-2025-01-25", "m-202507", "m-2025-07-28" }, ordered);
        }

        [Theory]
        [InlineData(2025, 2, 29)]
        [InlineData(2025, 13, 1)]
        [InlineData(null, 4, 31)]
        [InlineData(2025, 0, null)]
        public void Rejects_Dates_That_Do_Not_Exist(int? year, int month, int? day)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new ModelSnapshotDate(year, month, day));
        }

        [Fact]
        public void Equality_Follows_The_Parts()
        {
            Assert.True(new ModelSnapshotDate(null, 6, 13) == new ModelSnapshotDate(null, 6, 13));
            Assert.True(new ModelSnapshotDate(2023, 6, 13) != new ModelSnapshotDate(null, 6, 13));
            Assert.True(new ModelSnapshotDate(2025, 9, null).CompareTo(new ModelSnapshotDate(2025, 9, 1)) < 0);
        }
    }
}
