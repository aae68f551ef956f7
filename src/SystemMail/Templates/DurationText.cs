using System.Globalization;

namespace SystemMail;

/// <summary>Writes a link or code lifetime in the words of the mail's language ("24 hours", "24 小时").</summary>
internal static class DurationText
{
    public static string Format(TimeSpan duration, CultureInfo culture)
    {
        var chinese = IsSimplifiedChinese(culture);
        var parts = new List<string>(3);
        if (duration.Days > 0)
        {
            parts.Add(chinese ? $"{duration.Days} 天" : Plural(duration.Days, "day"));
        }

        if (duration.Hours > 0)
        {
            parts.Add(chinese ? $"{duration.Hours} 小时" : Plural(duration.Hours, "hour"));
        }

        if (duration.Minutes > 0 || parts.Count == 0)
        {
            var minutes = parts.Count == 0 ? Math.Max(1, (int)Math.Ceiling(duration.TotalMinutes)) : duration.Minutes;
            parts.Add(chinese ? $"{minutes} 分钟" : Plural(minutes, "minute"));
        }

        return string.Join(chinese ? " " : " and ", parts);
    }

    // The templates' own rule, so the words match the language the mail was rendered in.
    private static bool IsSimplifiedChinese(CultureInfo culture) => CultureFallback.Chain(culture).Contains("zh-Hans");

    private static string Plural(int count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? string.Empty : "s")}");
}
