using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace IdContact.Desk.Sessions;

/// <summary>
/// Text kept encrypted at rest (chat lines, an appointment's e-mail address): the installation's data-protection key
/// ring under one purpose per municipality, so a database copy or backup holds nothing readable and one tenant's rows
/// do not open under another's. Stored values carry <see cref="Prefix"/>; a value without it was written in the clear
/// by an earlier version and is read as it is.
/// </summary>
public sealed class AtRestText(IDataProtectionProvider provider, string purpose)
{
    public const string Prefix = "dp1:";

    private readonly ConcurrentDictionary<string, IDataProtector> _protectors = new(StringComparer.Ordinal);

    /// <summary>The value to store.</summary>
    public string Protect(string tenant, string text) => Prefix + For(tenant).Protect(text);

    /// <summary>
    /// The text of a stored value; null when it does not open (key ring lost, another tenant's row), with the reason in
    /// <paramref name="error"/> (data protection's messages name a key at most, never the text).
    /// </summary>
    public string? Reveal(string tenant, string stored, out string? error)
    {
        error = null;
        if (!stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return stored;
        }

        try
        {
            return For(tenant).Unprotect(stored[Prefix.Length..]);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            error = e.Message;
            return null;
        }
    }

    private IDataProtector For(string tenant) => _protectors.GetOrAdd(tenant, t => provider.CreateProtector(purpose, t));
}
