using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Video;

/// <summary>
/// The appointment's e-mail address at rest, as chat text (<see cref="Chat.ChatTextProtector"/>): encrypted with the
/// installation's data-protection key ring under a purpose per municipality, so a database copy or backup holds no
/// readable address. Stored values carry <see cref="Prefix"/>; a value without it was written in the clear by an earlier
/// version, is read as it is and encrypted at start-up (<see cref="AppointmentStartUp"/>). A value that does not open
/// (key ring lost, another tenant's row) reads as no address: the appointment stays, without its e-mail.
/// </summary>
public sealed class AppointmentEmailProtector(IDataProtectionProvider provider, ILogger<AppointmentEmailProtector> logger)
{
    public const string Prefix = AtRestText.Prefix;

    private readonly AtRestText _text = new(provider, "IdContact.Desk.Video.Email");

    /// <summary>
    /// Room for the longest address once encrypted: 254 UTF-16 characters are at most 762 UTF-8 bytes, plus the data
    /// protection header, key id, IV, padding and MAC (about 90 bytes), in base64url (4/3) and the prefix: about 1150.
    /// </summary>
    public const int MaxStoredLength = 2000;

    /// <summary>The value to store.</summary>
    public string Protect(string tenant, string email) => _text.Protect(tenant, email);

    /// <summary>The address of a stored value, or null when there is none or it cannot be opened.</summary>
    public string? Reveal(string tenant, string appointmentId, string? stored)
    {
        if (stored is null)
        {
            return null;
        }

        var email = _text.Reveal(tenant, stored, out var error);
        if (error is not null)
        {
            logger.LogWarning("Tenant {Tenant}: the e-mail address of appointment {Appointment} cannot be decrypted ({Error}); read as none", tenant, appointmentId, error);
        }

        return email;
    }

    /// <summary>An appointment read without tracking, its address opened (never saved back: every write is an ExecuteUpdate).</summary>
    public Appointment? Opened(string tenant, Appointment? appointment)
    {
        if (appointment is not null)
        {
            appointment.Email = Reveal(tenant, appointment.Id, appointment.Email);
        }

        return appointment;
    }
}
