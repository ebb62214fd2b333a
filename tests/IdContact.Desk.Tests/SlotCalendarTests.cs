using IdContact.Desk.Video;

namespace IdContact.Desk.Tests;

/// <summary>Video slots from opening hours: several ranges a day, as chat has them.</summary>
public sealed class SlotCalendarTests
{
    // Sunday 2026-11-29 20:00 UTC: the next day, Monday, is bookable (winter time, UTC+1).
    private static readonly DateTimeOffset SundayEvening = new(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_day_with_a_lunch_break_has_slots_in_both_ranges_none_in_the_gap_and_none_crossing_a_ranges_end()
    {
        // 25 minutes: the morning's last whole slot ends at 11:55; one starting 11:55 would cross 12:00.
        var video = new VideoOptions { SlotMinutes = 25, BookDays = 1, OpeningHours = new(StringComparer.OrdinalIgnoreCase) { ["Monday"] = "13:00-17:00, 09:00-12:00" } };

        var monday = SlotCalendar.Candidates(video, SundayEvening).Where(s => s.Day == new DateOnly(2026, 11, 30)).ToList();

        var times = monday.Select(s => s.LocalStart.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(["09:00", "09:25", "09:50", "10:15", "10:40", "11:05", "11:30", "13:00", "13:25", "13:50", "14:15", "14:40", "15:05", "15:30", "15:55", "16:20"], times);
        Assert.DoesNotContain(monday, s => s.LocalStart.AddMinutes(25) > new TimeOnly(12, 0) && s.LocalStart < new TimeOnly(13, 0));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero), monday.Single(s => s.LocalStart == new TimeOnly(13, 0)).Start);
        Assert.Equal(monday.OrderBy(s => s.Start), monday); // in time order, whatever the configured order
    }

    [Theory]
    [InlineData("09:00-12:00,11:30-13:00", "'09:00-12:00' and '11:30-13:00' overlap")]
    [InlineData("13:00-17:00,09:00-13:30", "'09:00-13:30' and '13:00-17:00' overlap")]
    [InlineData("09:00-12:00,17:00-13:00", "'17:00-13:00' ends before it starts (ranges cannot pass midnight)")]
    public void Overlapping_or_reversed_ranges_are_refused_with_what_is_wrong(string text, string problem)
    {
        Assert.Equal(problem, OpeningRanges.Problem(text, out _));
    }
}
