using System.Globalization;
using System.Security.Cryptography;
using IdContact.Desk.Sessions;
using Microsoft.AspNetCore.DataProtection;

namespace IdContact.Desk.Video;

/// <summary>
/// The planning form's one-time id (<c>plan</c> on <c>/{tenant}/desk/appointments</c>): a random key and the time the
/// form was rendered, protected by Data Protection (its own purpose, per tenant; the key ring is shared by the
/// instances). The key guards against a second plan only while its appointment exists; the issue time bounds how long
/// after that a re-posted form can still plan. The issue time is checked on the app's <see cref="TimeProvider"/>, not
/// by a time-limited protector, so an old form and a forged one get different answers.
/// </summary>
public sealed class PlanFormIds(IDataProtectionProvider protection, TimeProvider time)
{
    /// <summary>
    /// A constant, not a setting: a working day with room to spare, so a page left open in the morning still plans in
    /// the afternoon, while no form outlives by days the appointment (cancelled or ended, then deleted) that guards it.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const string Purpose = "IdContact.Desk.Video.PlanForm";

    /// <summary>Far more than a protected id takes; anything longer is not read.</summary>
    private const int MaxLength = 1024;

    /// <summary>A fresh id for one rendering of the form.</summary>
    public string Issue(string tenant) =>
        Protector(tenant).Protect(Secrets.NewId() + "." + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>The form's key and whether the form is older than <see cref="Lifetime"/>; null when missing, tampered with or another tenant's.</summary>
    public PlanFormId? Read(string tenant, string value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return null;
        }

        string text;
        try
        {
            text = Protector(tenant).Unprotect(value);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }

        var parts = text.Split('.');
        if (parts.Length != 2 || !AppointmentStore.IsPlanKey(parts[0])
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        // A clock of another instance a little ahead makes a young form look issued in the future: not old.
        return new PlanFormId(parts[0], time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) > Lifetime);
    }

    private IDataProtector Protector(string tenant) => protection.CreateProtector(Purpose, tenant);
}

/// <summary>A planning form's key (stored with its appointment) and whether the form is too old to plan.</summary>
public readonly record struct PlanFormId(string Key, bool TooOld);
