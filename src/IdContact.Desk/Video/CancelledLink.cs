namespace IdContact.Desk.Video;

/// <summary>
/// A cancelled appointment's cancel link, so opening it again says it is cancelled rather than that the link does not
/// work: only the link's hash (of 256 random bits, naming no one) until the appointment would have ended; the
/// appointment itself goes as before. Retention deletes the row after <see cref="Until"/>.
/// </summary>
public sealed class CancelledLink
{
    /// <summary>The cancel link's hash, as <see cref="Appointment.CancelHash"/> held it.</summary>
    public string Hash { get; set; } = "";

    public DateTimeOffset Until { get; set; }
}
