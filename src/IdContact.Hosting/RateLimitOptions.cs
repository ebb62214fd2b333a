namespace IdContact.Hosting;

/// <summary>Requests per minute per client address on the public endpoints (section "RateLimits").</summary>
public sealed class RateLimitOptions
{
    /// <summary>The core's start: one resident starting again and again.</summary>
    public int StartPerMinute { get; set; } = 30;

    /// <summary>Plugin starts by callers without the role's key (calls with it come from our own core and are not limited).</summary>
    public int PluginStartPerMinute { get; set; } = 60;

    /// <summary>Results posted to attr_url: one auth plugin's server posts all of them, so the limit is generous.</summary>
    public int ResultPerMinute { get; set; } = 600;

    /// <summary>The exchange API: one telephone exchange sends every call's identify and ended.</summary>
    public int ExchangePerMinute { get; set; } = 1200;

    /// <summary>
    /// Agent sign-in requests (password, code, provider button): a flood guard only (each password check costs CPU), high
    /// enough for a contact centre behind one NAT; wrong attempts have their own budget per address and the account lockout.
    /// </summary>
    public int LoginPerMinute { get; set; } = 60;

    /// <summary>The resident's appointment pages (booking, link, cancel): public forms and capability links.</summary>
    public int BookingPerMinute { get; set; } = 30;

    /// <summary>
    /// Views of the web-code pages (<c>GET /{tenant}/id</c> and the landing after sign-in): a caller opens one once or
    /// twice, but each view of the code page mints a browser id with its own budget of wrong codes.
    /// </summary>
    public int WebCodePagePerMinute { get; set; } = 30;

    /// <summary>
    /// The phone page asking for its session's state (<c>GET /{tenant}/phone/status</c>): every open page polls (five times
    /// in its first minute, then twice a minute), so residents behind one address (a carrier's NAT, a municipal office)
    /// need many; counted apart from the starts, which they would otherwise use up for the next resident.
    /// </summary>
    public int PhoneStatusPerMinute { get; set; } = 300;

    /// <summary>
    /// Residents opening their conversation: a chat's page (<c>GET /{tenant}/chat/c/{capability}</c>, which a page without
    /// script reloads every 20 seconds) and connections to the residents' chat and video hubs (counted on negotiation and
    /// on a WebSocket opened without it; a connection's own requests are not). Each page opens one, and again after a
    /// network break, so residents behind one address (a carrier's NAT) need many; the limit only bounds one address
    /// opening connections without end.
    /// </summary>
    public int ResidentConnectionPerMinute { get; set; } = 600;
}
