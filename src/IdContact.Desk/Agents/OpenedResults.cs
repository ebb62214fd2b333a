using IdContact.Desk.Sessions;
using IdContact.Protocol.Tokens;
using Microsoft.Extensions.Caching.Memory;

namespace IdContact.Desk.Agents;

/// <summary>What a stored result says, once decrypted: the attributes and which key vouched for them.</summary>
public sealed record OpenedResult(AuthStatus? Status, IReadOnlyDictionary<string, string> Attributes, TrustedKey? Signer)
{
    public static readonly OpenedResult Unusable = new(null, new Dictionary<string, string>(), null);
}

/// <summary>
/// Decrypts each stored result once for all the agents whose lists refresh after a change, instead of once per agent
/// per notification. Kept in memory only, briefly and bounded; never written anywhere.
/// </summary>
public sealed class OpenedResults(DeskKeys keys) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private long _decryptions;

    /// <summary>How many tokens this instance has decrypted for display (a cost figure; tests read it).</summary>
    public long Decryptions => Interlocked.Read(ref _decryptions);

    public OpenedResult Open(string tenant, ContactSession session)
    {
        if (session.ResultToken is null)
        {
            return OpenedResult.Unusable;
        }

        // The result key names the signed content, so an entry can never belong to another session's data.
        var cacheKey = $"{tenant}\n{session.Id}\n{session.ResultKey}";
        return _cache.GetOrCreate(cacheKey, entry =>
        {
            entry.SetSize(1).SetAbsoluteExpiration(Lifetime);
            Interlocked.Increment(ref _decryptions);
            var opened = keys.OpenStored(tenant, session.ResultToken);
            return opened.IsValid
                ? new OpenedResult(opened.Result.Status, opened.Result.Attributes, keys.SignerOf(opened))
                : OpenedResult.Unusable;
        })!;
    }

    public void Dispose() => _cache.Dispose();
}
