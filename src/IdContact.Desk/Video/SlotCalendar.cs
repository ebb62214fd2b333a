using System.Globalization;

namespace IdContact.Desk.Video;

/// <summary>A bookable slot: its start and end in UTC and as the resident reads it in Amsterdam.</summary>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End, DateOnly Day, TimeOnly LocalStart);

/// <summary>The slots a tenant offers: opening hours per weekday minus closed days, in Europe/Amsterdam time.</summary>
public static class SlotCalendar
{
    /// <summary>"09:00-17:00" as two times, or null when it is not that shape.</summary>
    public static (TimeOnly Open, TimeOnly Close)? ParseHours(string hours)
    {
        var parts = hours.Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var open)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var close)
            && open < close
                ? (open, close)
                : null;
    }

    /// <summary>Every slot from now to <see cref="VideoOptions.BookDays"/> ahead, taken or not.</summary>
    public static IEnumerable<Slot> Candidates(VideoOptions video, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(DutchTime.Of(now));
        var closed = video.ClosedDays.Select(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var c) ? c : default).ToHashSet();
        var length = TimeSpan.FromMinutes(video.SlotMinutes);
        for (var d = 0; d <= video.BookDays; d++)
        {
            var day = today.AddDays(d);
            if (closed.Contains(day) || !video.EffectiveOpeningHours.TryGetValue(day.DayOfWeek.ToString(), out var text) || ParseHours(text) is not { } hours)
            {
                continue;
            }

            for (var t = hours.Open; t.Add(length) <= hours.Close && t.Add(length) > t; t = t.Add(length))
            {
                var local = day.ToDateTime(t, DateTimeKind.Unspecified);
                if (DutchTime.Zone.IsInvalidTime(local))
                {
                    continue; // the hour skipped when summer time starts
                }

                var start = DutchTime.Instant(local);
                if (start > now)
                {
                    yield return new Slot(start, start + length, day, t);
                }
            }
        }
    }
}
