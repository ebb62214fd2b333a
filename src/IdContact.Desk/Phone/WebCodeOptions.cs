namespace IdContact.Desk.Phone;

/// <summary>
/// Identifying a caller on the web during a call (section "Tenants:{tag}:Desk:WebCode"): the agent reads out an address
/// and a one-time code; the caller types the code there and signs in. See docs/security.md for the odds of guessing.
/// </summary>
public sealed class WebCodeOptions
{
    /// <summary>Digits in the code (8–12): 10^length possible codes.</summary>
    public int Length { get; set; } = 8;

    /// <summary>How long a code can be typed in (1–60 minutes).</summary>
    public int LifetimeMinutes { get; set; } = 10;

    /// <summary>Codes that may be live at once in this municipality (1–1000): the odds of one guess grow with it.</summary>
    public int MaxLive { get; set; } = 50;

    /// <summary>
    /// Wrong codes one client address may type per hour over all its browsers (1–1000): large, since a carrier's NAT or an
    /// office puts many callers on one address; it bounds a guesser who keeps starting new browsers.
    /// </summary>
    public int WrongPerAddressPerHour { get; set; } = 100;

    /// <summary>Wrong codes one browser (its web-code cookie) may type per hour (1–1000).</summary>
    public int WrongPerBrowserPerHour { get; set; } = 10;

    /// <summary>
    /// The address the agent reads out, when the municipality has a short link of its own that points to
    /// <c>{PublicUrl}/{tenant}/id</c> (e.g. "gemeente.nl/id"); without it the agent reads out that page itself.
    /// </summary>
    public string? Address { get; set; }
}
