using IdContact.Auth.Irma;
using IdContact.Desk;
using IdContact.Hosting;
using IdContact.Protocol.Keys;

namespace IdContact.Server;

/// <summary>
/// Keys that each load but do not belong together: a municipality whose Yivi results (this server's auth-irma) go to
/// its desk (this server's phone, chat or video) gets every result refused when the desk cannot open or does not trust
/// them. Each role checks only its own settings, so <c>config check</c> (and, with a warning, the server) compares the pairs.
/// </summary>
public static class ResultKeyChecks
{
    public static IEnumerable<string> Problems(IdContactOptions options)
    {
        var urls = new PublicUrls(Microsoft.Extensions.Options.Options.Create(options));
        var irma = options.AuthIrma();
        var desk = options.Desk();
        if (Public(irma.EncryptionKey) is not { } recipient || Private(irma.SigningKey) is not { } signer)
        {
            yield break; // missing or unloadable: the role's own checks say so
        }

        if (!desk.VerificationKeys.Any(k => Public(k) == signer) && options.Tenants.Any(t => UsesBoth(urls, t.Key, t.Value)))
        {
            yield return "Desk:VerificationKeys does not hold the public half of AuthIrma:SigningKey: the desk would refuse every Yivi result.";
        }

        foreach (var (tag, tenant) in options.Tenants.Where(t => UsesBoth(urls, t.Key, t.Value)))
        {
            var own = tenant.Desk().DecryptionKey is not null;
            var (current, previous) = own
                ? (tenant.Desk().DecryptionKey, tenant.Desk().PreviousDecryptionKeys)
                : (desk.DecryptionKey, desk.PreviousDecryptionKeys);
            if (current is not null && !previous.Prepend(current).Any(k => Private(k) == recipient))
            {
                var key = own ? $"Tenants:{tag}:Desk:DecryptionKey" : "Desk:DecryptionKey";
                yield return $"Tenants:{tag}: AuthIrma:EncryptionKey is not the public half of {key} (nor of a previous key): its desk could open no Yivi result. This server's auth-irma encrypts every municipality's results to that one key.";
            }
        }
    }

    /// <summary>The municipality signs in with this server's auth-irma and talks to this server's desk.</summary>
    private static bool UsesBoth(PublicUrls urls, string tag, TenantOptions tenant) =>
        tenant.AuthMethods.Any(m => Local(urls, tag, m, "auth-irma")) && tenant.CommMethods.Any(m => Local(urls, tag, m, "phone", "chat", "video"));

    /// <summary>Relative (<c>/{tag}/auth-irma</c>) or absolute at this server's own <c>PublicUrl</c>, resolved as the core does.</summary>
    private static bool Local(PublicUrls urls, string tag, MethodOptions method, params string[] roles) =>
        Uri.TryCreate(urls.Resolve(method.Start, tag), UriKind.Absolute, out var start)
        && roles.Any(r => Uri.TryCreate(urls.Tenant(tag, "/" + r), UriKind.Absolute, out var own) && start == own);

    private static string? Public(KeyConfig? key) => Load(key, k => PublicKey.Load(k).ToPem());

    private static string? Private(KeyConfig? key) => Load(key, k => PrivateKey.Load(k).PublicKey.ToPem());

    private static string? Load(KeyConfig? key, Func<KeyConfig, string> pem)
    {
        try
        {
            return key is null ? null : pem(key);
        }
        catch (KeyLoadException)
        {
            return null;
        }
    }
}
