using System;
using System.Globalization;
using System.Management.Automation;
using System.Text.RegularExpressions;

namespace NewApiSync.PowerShell.Internal
{
    /// <summary>
    /// Lets -Interval take what an admin types: '6h', '30m', '1h30m', '1d' or a TimeSpan ('06:00:00'). A bare number is
    /// refused with the format, because PowerShell would read -Interval 6 as 6 ticks (0.6 microseconds).
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class IntervalTransformationAttribute : ArgumentTransformationAttribute
    {
        private static readonly Regex Units = new Regex(@"^\s*(?:(?<n>\d+(?:\.\d+)?)\s*(?<u>[dhms])\s*)+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public const string Format = "Give a duration with a unit, such as '6h', '30m' or '1h30m', or a TimeSpan such as '06:00:00' or (New-TimeSpan -Hours 6).";

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case TimeSpan:
                    return value;
                case string text:
                    return Parse(text);
                case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                    throw BareNumber(Convert.ToString(value, CultureInfo.InvariantCulture));
                default:
                    return inputData;
            }
        }

        /// <summary>'6h', '30m', '1h30m', '2d', '90s', or TimeSpan text; anything else throws with the format.</summary>
        public static TimeSpan Parse(string text)
        {
            string trimmed = text.Trim();
            if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw BareNumber(trimmed);
            }

            Match match = Units.Match(trimmed);
            if (match.Success)
            {
                TimeSpan total = TimeSpan.Zero;
                for (int i = 0; i < match.Groups["n"].Captures.Count; i++)
                {
                    double amount = double.Parse(match.Groups["n"].Captures[i].Value, CultureInfo.InvariantCulture);
                    total += char.ToLowerInvariant(match.Groups["u"].Captures[i].Value[0]) switch
                    {
                        'd' => TimeSpan.FromDays(amount),
                        'h' => TimeSpan.FromHours(amount),
                        'm' => TimeSpan.FromMinutes(amount),
                        _ => TimeSpan.FromSeconds(amount),
                    };
                }

                return total;
            }

            if (TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out TimeSpan parsed))
            {
                return parsed;
            }

            throw new ArgumentTransformationMetadataException($"'{trimmed}' is not a duration. {Format}");
        }

        private static ArgumentTransformationMetadataException BareNumber(string? number) =>
            new ArgumentTransformationMetadataException($"{number} has no unit: did you mean '{number}h' (hours) or '{number}m' (minutes)? {Format}");
    }
}
