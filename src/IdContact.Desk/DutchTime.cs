namespace IdContact.Desk;

/// <summary>
/// Times as the municipality reads them: Europe/Amsterdam, whatever zone the server runs in (containers run in UTC,
/// which showed agents times an hour or two off).
/// </summary>
public static class DutchTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    public static DateTime Of(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone).DateTime;

    /// <summary>The instant a Dutch wall-clock time stands for (callers skip the hour summer time leaves out: <see cref="TimeZoneInfo.IsInvalidTime"/>).</summary>
    public static DateTimeOffset Instant(DateTime local) =>
        new(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone), TimeSpan.Zero);
}
