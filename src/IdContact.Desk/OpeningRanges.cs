using System.Globalization;

namespace IdContact.Desk;

/// <summary>One opening range of a day, Europe/Amsterdam time; <see cref="To"/> is exclusive.</summary>
public readonly record struct OpeningRange(TimeOnly From, TimeOnly To)
{
    public override string ToString() => $"{From:HH\\:mm}-{To:HH\\:mm}";
}

/// <summary>
/// A day's opening hours as chat and video configure them: a comma list of "HH:mm-HH:mm" ranges, e.g.
/// "09:00-12:00,13:00-17:00" for a lunch break; empty is a closed day. One parser for both, so they read alike.
/// </summary>
public static class OpeningRanges
{
    public const string Example = "\"08:30-12:00,13:00-17:00\"";

    /// <summary>The ranges in time order, or false when the text is not that shape, a range is reversed or two overlap.</summary>
    public static bool TryParse(string text, out IReadOnlyList<OpeningRange> ranges) => Problem(text, out ranges) is null;

    /// <summary>Null when the text is fine, else what is wrong with it (a sentence fragment for config check).</summary>
    public static string? Problem(string text, out IReadOnlyList<OpeningRange> ranges)
    {
        var list = new List<OpeningRange>();
        ranges = list;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2 || !TryTime(ends[0], out var from) || !TryTime(ends[1], out var to))
            {
                return $"must be ranges like {Example} (or empty for closed)";
            }

            if (to <= from)
            {
                return $"'{part}' ends before it starts (ranges cannot pass midnight)";
            }

            list.Add(new OpeningRange(from, to));
        }

        list.Sort((a, b) => a.From.CompareTo(b.From));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].From < list[i - 1].To)
            {
                return $"'{list[i - 1]}' and '{list[i]}' overlap";
            }
        }

        return null;
    }

    private static bool TryTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
