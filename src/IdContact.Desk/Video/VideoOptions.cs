namespace IdContact.Desk.Video;

/// <summary>One municipality's video appointments (section "Tenants:{tag}:Desk:Video").</summary>
public sealed class VideoOptions
{
    /// <summary>
    /// Opening hours per weekday ("Monday" … "Sunday"), each a comma list of "HH:mm-HH:mm" ranges in Europe/Amsterdam
    /// time as chat's ("09:00-12:00,13:00-17:00" for a lunch break); a day not listed or empty is closed. Empty: Monday
    /// to Friday 09:00-17:00.
    /// </summary>
    public Dictionary<string, string> OpeningHours { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Closed days (holidays) as "yyyy-MM-dd".</summary>
    public List<string> ClosedDays { get; set; } = [];

    /// <summary>Length of one appointment.</summary>
    public int SlotMinutes { get; set; } = 15;

    /// <summary>Video desks working in parallel: appointments per slot.</summary>
    public int Agents { get; set; } = 1;

    /// <summary>How many days ahead a resident may book.</summary>
    public int BookDays { get; set; } = 14;

    /// <summary>The appointment link opens this long before the appointment.</summary>
    public int LinkOpensMinutesBefore { get; set; } = 10;

    /// <summary>The appointment link keeps working this long after the appointment's end.</summary>
    public int GraceMinutes { get; set; } = 15;

    /// <summary>
    /// The one rule for "over": an appointment whose slot ended before this instant (GraceMinutes ago) can no longer be
    /// joined. The join, the Afspraken page and the incoming-contacts list all ask here, so they agree.
    /// </summary>
    public DateTimeOffset OverIfEndedBefore(DateTimeOffset now) => now.AddMinutes(-GraceMinutes);

    /// <summary>Whether an appointment ending at <paramref name="end"/> is over at <paramref name="now"/> (<see cref="OverIfEndedBefore"/>).</summary>
    public bool IsOver(DateTimeOffset end, DateTimeOffset now) => end < OverIfEndedBefore(now);

    /// <summary>How long the booking page handed out at start_communication works.</summary>
    public int BookingPageMinutes { get; set; } = 60;

    /// <summary>The reminder e-mail goes this many hours before the start, for appointments made earlier than that; 0: no reminder.</summary>
    public int ReminderHours { get; set; } = 24;

    /// <summary>
    /// Coming (not ended, not cancelled) appointments one e-mail address may have booked at once (trimmed, case ignored):
    /// a booking page asks for no identification, so this bounds the agenda and the mail one address can be given.
    /// </summary>
    public int MaxComingPerEmail { get; set; } = 2;

    /// <summary>Successful bookings per client address (an IPv6 /64) per day (Amsterdam time), counted in the database so it holds across instances.</summary>
    public int BookingsPerAddressPerDay { get; set; } = 10;

    public static readonly Dictionary<string, string> WorkingWeek = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Monday"] = "09:00-17:00",
        ["Tuesday"] = "09:00-17:00",
        ["Wednesday"] = "09:00-17:00",
        ["Thursday"] = "09:00-17:00",
        ["Friday"] = "09:00-17:00",
    };

    public IReadOnlyDictionary<string, string> EffectiveOpeningHours => OpeningHours.Count > 0 ? OpeningHours : WorkingWeek;
}

/// <summary>The SMTP server the desk sends e-mail through (section "Desk:Mail").</summary>
public sealed class MailOptions
{
    /// <summary>SMTP host; without it the demo writes each message as an .eml file under {data}/mail.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>TLS from the first byte (port 465).</summary>
    public bool UseTls { get; set; }

    /// <summary>Upgrade with STARTTLS (required when true); with both false the connection is plain (test servers only).</summary>
    public bool StartTls { get; set; } = true;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Sender address, e.g. "Gemeente Arnhem &lt;noreply@arnhem.nl&gt;".</summary>
    public string? From { get; set; }
}

/// <summary>
/// The video call's network settings (section "Desk:Video"). Media goes browser to browser; these tell browsers how to
/// find each other (STUN) and where media may be relayed (TURN, coturn with use-auth-secret).
/// </summary>
public sealed class VideoCallOptions
{
    /// <summary>STUN servers, e.g. "stun:turn.example.nl:3478". Empty: browsers use their host candidates only.</summary>
    public List<string> StunUrls { get; set; } = [];

    /// <summary>TURN servers, e.g. "turn:turn.example.nl:3478?transport=udp", "turns:turn.example.nl:5349?transport=tcp".</summary>
    public List<string> TurnUrls { get; set; } = [];

    /// <summary>coturn's static-auth-secret: the desk signs short-lived TURN credentials with it (the coturn REST scheme).</summary>
    public string? TurnSecret { get; set; }

    /// <summary>How long a TURN credential handed to a browser works.</summary>
    public int TurnCredentialMinutes { get; set; } = 120;

    /// <summary>Signalling messages (offer, answer, ICE candidate) one side of a call may send per minute (per instance).</summary>
    public int SignalsPerMinute { get; set; } = 300;

    /// <summary>Longest signalling message in characters (a session description is a few kilobytes).</summary>
    public int MaxSignalLength { get; set; } = 16_000;
}
