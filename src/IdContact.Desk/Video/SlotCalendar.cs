using System.Globalization;

namespace IdContact.Desk.Video;

/// <summary>A bookable slot: its start and end in UTC and as the resident reads it in Amsterdam.</summary>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End, DateOnly Day, TimeOnly LocalStart);

/// <summary>
/// The slots a tenant offers: opening hours per weekday minus closed days, in Europe/Amsterdam time. Each of a day's
/// ranges has its own slots, none crossing the range's end (a lunch break stays free).
/// </summary>
public static class SlotCalendar
{
    /// <summary>Every slot from now to <see cref="VideoOptions.BookDays"/> ahead, taken or not.</summary>
    public static IEnumerable<Slot> Candidates(VideoOptions video, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(DutchTime.Of(now));
        var closed = video.ClosedDays.Select(d => DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var c) ? c : default).ToHashSet();
        var length = TimeSpan.FromMinutes(video.SlotMinutes);
        for (var d = 0; d <= video.BookDays; d++)
        {
            var day = today.AddDays(d);
            if (closed.Contains(day) || !video.EffectiveOpeningHours.TryGetValue(day.DayOfWeek.ToString(), out var text) || !OpeningRanges.TryParse(text, out var ranges))
            {
                continue;
            }

            foreach (var slot in ranges.SelectMany(r => SlotsIn(r, day, length)).Where(s => s.Start > now))
            {
                yield return slot;
            }
        }
    }

    private static IEnumerable<Slot> SlotsIn(OpeningRange range, DateOnly day, TimeSpan length)
    {
        for (var t = range.From; t.Add(length) <= range.To && t.Add(length) > t; t = t.Add(length))
        {
            var local = day.ToDateTime(t, DateTimeKind.Unspecified);
            if (DutchTime.Zone.IsInvalidTime(local))
            {
                continue; // the hour skipped when summer time starts
            }

            var start = DutchTime.Instant(local);
            yield return new Slot(start, start + length, day, t);
        }
    }
}
