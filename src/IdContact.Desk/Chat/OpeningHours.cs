namespace IdContact.Desk.Chat;

/// <summary>Whether a municipality's chat is open at a moment, by its opening hours in Dutch time.</summary>
public static class OpeningHours
{
    public static bool IsOpen(TenantChatOptions chat, DateTimeOffset now)
    {
        var local = DutchTime.Of(now);
        if (chat.ClosedDays.Contains(local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))
        {
            return false;
        }

        if (chat.OpeningHours.Count == 0)
        {
            return true;
        }

        var day = chat.OpeningHours.FirstOrDefault(d => Enum.TryParse<DayOfWeek>(d.Key, true, out var w) && w == local.DayOfWeek).Value;
        var time = TimeOnly.FromTimeSpan(local.TimeOfDay);
        return day is not null && TryParseRanges(day, out var ranges) && ranges.Any(r => time >= r.From && time < r.To);
    }

    /// <summary>"08:30-12:00,13:00-17:00"; empty is a closed day.</summary>
    public static bool TryParseRanges(string text, out List<(TimeOnly From, TimeOnly To)> ranges)
    {
        ranges = [];
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2
                || !TimeOnly.TryParseExact(ends[0], "HH:mm", out var from)
                || !TimeOnly.TryParseExact(ends[1], "HH:mm", out var to)
                || to <= from)
            {
                return false;
            }

            ranges.Add((from, to));
        }

        return true;
    }
}
