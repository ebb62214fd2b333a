namespace IdContact.Desk;

/// <summary>A count with its unit, singular for 1 ("1 minuut", "5 minuten"): the one place for durations that settings can make 1.</summary>
public static class CountText
{
    public static string Minutes(int count, bool english) =>
        english ? Of(count, "minute", "minutes") : Of(count, "minuut", "minuten");

    public static string Seconds(int count, bool english) =>
        english ? Of(count, "second", "seconds") : Of(count, "seconde", "seconden");

    public static string Of(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";
}
