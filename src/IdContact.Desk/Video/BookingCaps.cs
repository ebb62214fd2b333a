using IdContact.Desk.Sessions;

namespace IdContact.Desk.Video;

/// <summary>
/// What the booking caps count by. A booking page asks for no identification, so without them one client could fill the
/// agenda and have the municipality's relay mail any address (docs/security.md, *Booking spam*).
/// </summary>
public static class BookingCaps
{
    /// <summary>
    /// The address as the cap counts it: trimmed, case ignored. A "+tag" or dots stay: whether they make another mailbox
    /// differs per provider, so stripping them could refuse a different resident.
    /// </summary>
    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>
    /// SHA-256 of the normalised address. Unkeyed: it lives only beside the address itself in the same row, and is
    /// cleared with it on cancelling, so it tells nothing the row does not.
    /// </summary>
    public static string EmailHash(string email) => Secrets.Hash("email\n" + NormaliseEmail(email));

    /// <summary>SHA-256 of the client's rate-limit key (IdContact.Hosting.ClientAddress); the row goes after its day.</summary>
    public static string AddressHash(string clientKey) => Secrets.Hash("client\n" + clientKey);

    /// <summary>The day a booking counts for: the Amsterdam calendar day.</summary>
    public static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(DutchTime.Of(at));
}
