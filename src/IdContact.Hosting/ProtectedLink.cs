using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace IdContact.Hosting;

/// <summary>
/// Page state carried in a link (<c>?s=</c>) instead of on the server: encrypted, authenticated and time-limited by
/// ASP.NET Core Data Protection, so a resident's link cannot be read, altered or reused after it expires.
/// </summary>
public sealed class ProtectedLink<T>(IDataProtectionProvider provider, string purpose, TimeSpan lifetime)
    where T : class
{
    /// <summary>Kestrel refuses request lines over 8 KiB; leave room for the path, ?lang= and the HTTP version.</summary>
    public const int MaxLength = 7 * 1024;

    private readonly ITimeLimitedDataProtector _protector = provider.CreateProtector(purpose).ToTimeLimitedDataProtector();

    /// <summary>The URL-safe protected text, or null when it would be too long for a link.</summary>
    public string? Protect(T state)
    {
        var s = _protector.Protect(JsonSerializer.Serialize(state), lifetime);
        return s.Length > MaxLength ? null : s;
    }

    /// <summary>The state behind <paramref name="s"/>, or null when it is missing, tampered with or expired.</summary>
    public T? Read(string? s)
    {
        if (string.IsNullOrEmpty(s) || s.Length > MaxLength)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(_protector.Unprotect(s, out _));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}
