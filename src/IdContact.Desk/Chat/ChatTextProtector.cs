using System.Collections.Concurrent;
using IdContact.Desk.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Chat;

/// <summary>
/// Chat text at rest: encrypted with the installation's data-protection key ring under a purpose per municipality, so a
/// database copy or backup holds no readable conversation and one tenant's rows do not open under another's purpose.
/// Stored values carry <see cref="Prefix"/>; a value without it was written in the clear by an earlier version and is
/// shown as it is. A value that does not open (key ring lost, another tenant's row) becomes an unreadable line, never
/// an error; the warning names the tenant, the line number and the reason (data protection's messages name a key at
/// most), never the text or the session, and comes once an hour per line however often the line is read.
/// </summary>
public sealed class ChatTextProtector(IDataProtectionProvider provider, TimeProvider time, ILogger<ChatTextProtector> logger)
{
    public const string Prefix = AtRestText.Prefix;

    /// <summary>
    /// Room for the longest message once encrypted: 2000 UTF-16 characters are at most 6000 UTF-8 bytes, plus the data
    /// protection header, IV and MAC (under 100 bytes), in base64url (4/3) and the prefix: about 8150 characters.
    /// </summary>
    public const int MaxStoredLength = 10_000;

    private static readonly TimeSpan WarnEvery = TimeSpan.FromHours(1);

    /// <summary>Beyond this many remembered lines the memory is cleared: a lost key ring must not grow it without bound.</summary>
    private const int MaxRemembered = 10_000;

    private readonly AtRestText _text = new(provider, "IdContact.Desk.ChatText");
    private readonly ConcurrentDictionary<(string Tenant, long Sequence), DateTimeOffset> _warned = new();

    /// <summary>The value to store; an empty text (event lines) stays empty.</summary>
    public string Protect(string tenant, string text) => text.Length == 0 ? "" : _text.Protect(tenant, text);

    /// <summary>The text to show, or null when the stored value cannot be opened.</summary>
    public string? Reveal(string tenant, ChatMessage message)
    {
        var text = _text.Reveal(tenant, message.Text, out var error);
        if (error is not null && FirstInAWhile(tenant, message.Sequence))
        {
            // No session id: it is also the attr_url's, which logs never carry (docs/security.md).
            logger.LogWarning("Tenant {Tenant}: chat line {Sequence} cannot be decrypted ({Error}); shown as unreadable", tenant, message.Sequence, error);
        }

        return text;
    }

    /// <summary>Every page and reconnect reads the whole conversation again: one warning per line and hour is enough.</summary>
    private bool FirstInAWhile(string tenant, long sequence)
    {
        var now = time.GetUtcNow();
        if (_warned.TryGetValue((tenant, sequence), out var last) && now - last < WarnEvery)
        {
            return false;
        }

        if (_warned.Count >= MaxRemembered)
        {
            _warned.Clear();
        }

        _warned[(tenant, sequence)] = now;
        return true;
    }
}
