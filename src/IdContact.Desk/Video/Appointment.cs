namespace IdContact.Desk.Video;

/// <summary>
/// One video appointment, from the booking page handed out at start_communication to its end plus retention. The
/// e-mail address lives only here; links are stored only as SHA-256 hashes of their ≥128-bit tokens.
/// </summary>
public sealed class Appointment
{
    /// <summary>128-bit random id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The contact session (channel "video") whose attr_url takes the resident's result.</summary>
    public string SessionId { get; set; } = "";

    public string Purpose { get; set; } = "";

    /// <summary>Hash of the booking page's token (the client_url); null for a session an agent planned.</summary>
    public string? BookingHash { get; set; }

    /// <summary>The booking page works until then.</summary>
    public DateTimeOffset BookingExpiresAt { get; set; }

    /// <summary>Hash of the appointment link's token; set once booked.</summary>
    public string? LinkHash { get; set; }

    /// <summary>Hash of the cancel link's token.</summary>
    public string? CancelHash { get; set; }

    /// <summary>Start of the booked slot (UTC); null until booked.</summary>
    public DateTimeOffset? Start { get; set; }

    public DateTimeOffset? End { get; set; }

    /// <summary>Which parallel video desk (1…Agents) the slot takes; unique per start, so the last slot goes once. Null for sessions an agent planned.</summary>
    public int? DeskNumber { get; set; }

    /// <summary>Encrypted at rest by <see cref="AppointmentEmailProtector"/> ("dp1:…"); opened by the store's readers.</summary>
    public string? Email { get; set; }

    /// <summary><see cref="BookingCaps.EmailHashAsync"/> of a resident's booking, cleared with the address on cancelling.</summary>
    public string? EmailHash { get; set; }

    /// <summary>
    /// Which of the address's MaxComingPerEmail places (1…) the booking takes; unique per hash, so of two bookings racing
    /// for an address's last place one gets it. Freed on cancelling, and by the next booking once the appointment ended.
    /// </summary>
    public int? EmailNumber { get; set; }

    public string? AgentId { get; set; }

    /// <summary>"resident" (booked on the page) or "agent" (planned for someone who phoned in).</summary>
    public string PlannedBy { get; set; } = "resident";

    /// <summary>Language of the resident's e-mail: "nl" or "en" (the booking page's language, or the agent's choice).</summary>
    public string Language { get; set; } = AppointmentMail.Dutch;

    /// <summary>
    /// Set when cancelled: the links no longer work and the slot is free; the row (without the address) only carries the
    /// cancellation e-mail in the outbox until it is sent, then retention deletes it.
    /// </summary>
    public DateTimeOffset? CancelledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The one-time id of the agent's planning form that made it (unique): a reloaded or double-clicked form plans
    /// nothing more. Null for a resident's booking.
    /// </summary>
    public string? PlanKey { get; set; }
}

/// <summary>
/// A message waiting to be sent (or failed): the MIME text is kept encrypted (Data Protection) because it carries the
/// link; the row is deleted once sent, and with its appointment (a reminder also when its appointment is cancelled or
/// its start has passed).
/// </summary>
public sealed class OutgoingMail
{
    public string Id { get; set; } = "";

    public string AppointmentId { get; set; } = "";

    public string ProtectedMessage { get; set; } = "";

    public int Attempts { get; set; }

    /// <summary>When the message goes (a scheduled reminder: its due time), or when a failed one is tried again.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>
    /// A scheduled message (the reminder) that has not gone by then is dropped, not sent late; null for messages that go
    /// whenever they can (confirmation, cancellation).
    /// </summary>
    public DateTimeOffset? SendBefore { get; set; }

    /// <summary>Kind of the last failure (an exception type or SMTP status), never an address.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One successful booking from a client address on one day (Amsterdam time): numbered 1…BookingsPerAddressPerDay,
/// unique per address and day, so the cap holds across instances and races. Retention deletes the rows after the day.
/// </summary>
public sealed class AddressBooking
{
    /// <summary><see cref="BookingCaps.AddressHashAsync"/> of the client address's rate-limit key (an IPv6 /64).</summary>
    public string AddressHash { get; set; } = "";

    public DateOnly Day { get; set; }

    public int Number { get; set; }
}
