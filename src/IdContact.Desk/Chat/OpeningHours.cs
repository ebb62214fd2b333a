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
        return day is not null && OpeningRanges.TryParse(day, out var ranges) && ranges.Any(r => time >= r.From && time < r.To);
    }
}
