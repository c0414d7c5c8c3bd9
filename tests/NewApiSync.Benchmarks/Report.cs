using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;

namespace NewApiSync.Benchmarks
{
    /// <summary>One line of the table: a figure, what it would be at best, and the goal for measured/ideal.</summary>
    internal sealed record Figure(string Section, string Name, string Measured, string Ideal = "—", double? Ratio = null, double? Goal = null, string Note = "")
    {
        public string Verdict => Ratio is double r && Goal is double g ? (r <= g ? "met" : "**missed**") : "—";
    }

    internal static class Report
    {
        public static string Markdown(IReadOnlyList<Figure> figures, bool quick, TimeSpan elapsed)
        {
            var text = new StringBuilder();
            text.AppendLine("# NewApiSync benchmarks");
            text.AppendLine();
            text.AppendLine("Written by `dotnet run -c Release --project tests/NewApiSync.Benchmarks -- " + (quick ? "--quick " : string.Empty) + "--out docs/benchmarks.md` (issue 7).");
            text.AppendLine("Ratios are measured / ideal: 1.00 is the bound itself (the rate limit, the upstream latency, linear growth).");
            text.AppendLine();
            text.AppendLine($"- Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformation.OSDescription.Trim()} ({RuntimeInformation.OSArchitecture}), {RuntimeInformation.FrameworkDescription}");
            text.AppendLine($"- Mode: {(quick ? "quick (BenchmarkDotNet ShortRun: 3 iterations, wide error bars)" : "full")}; total time {elapsed.TotalMinutes:0.0} min; {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
            text.AppendLine("- The sandbox runs in the same process over loopback HTTP, so end-to-end figures include its own work and memory.");
            text.AppendLine("- The cores are shared with other work: single timings vary by ±50 % between runs; ratios of a run to its own bound vary far less.");
            foreach (IGrouping<string, Figure> section in figures.GroupBy(f => f.Section))
            {
                text.AppendLine();
                text.AppendLine("## " + section.Key);
                text.AppendLine();
                text.AppendLine("| Figure | Measured | Ideal | Ratio | Goal | Verdict | Note |");
                text.AppendLine("|---|---:|---:|---:|---:|---|---|");
                foreach (Figure f in section)
                {
                    string ratio = f.Ratio is double r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "—";
                    string goal = f.Goal is double g ? "≤ " + g.ToString("0.00", CultureInfo.InvariantCulture) : "—";
                    text.AppendLine($"| {f.Name} | {f.Measured} | {f.Ideal} | {ratio} | {goal} | {f.Verdict} | {f.Note} |");
                }
            }

            return text.ToString();
        }

        public static string Seconds(double seconds) => seconds.ToString(seconds < 10 ? "0.000" : "0.00", CultureInfo.InvariantCulture) + " s";

        public static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

        public static string Bytes(long bytes) => bytes >= 1024 * 1024 ? Mib(bytes) : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";

        public static string Duration(double nanoseconds) => nanoseconds switch
        {
            < 1_000 => nanoseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ns",
            < 1_000_000 => (nanoseconds / 1_000).ToString("0.0", CultureInfo.InvariantCulture) + " µs",
            < 1_000_000_000 => (nanoseconds / 1_000_000).ToString("0.0", CultureInfo.InvariantCulture) + " ms",
            _ => (nanoseconds / 1_000_000_000).ToString("0.00", CultureInfo.InvariantCulture) + " s",
        };
    }
}
