using IdContact.Protocol.Keys;

namespace IdContact.Hosting;

/// <summary>The checks every role's validator uses, each adding one plain sentence per problem.</summary>
public static class ConfigChecks
{
    /// <summary>A key between our own roles: long enough not to be guessed.</summary>
    public static void ApiKey(string at, string? key, List<string> problems)
    {
        if (key is not null && key.Trim().Length < 16)
        {
            problems.Add($"{at} must be at least 16 characters (a long random secret).");
        }
    }

    /// <param name="demoMode">Outside demo mode a missing key is not generated: the sentence says so.</param>
    public static void PrivateKey(string at, KeyConfig? key, List<string> problems, bool demoMode = true) =>
        Key(at, key, problems, k => Protocol.Keys.PrivateKey.Load(k), demoMode);

    public static void PublicKey(string at, KeyConfig? key, List<string> problems, bool demoMode = true) =>
        Key(at, key, problems, k => Protocol.Keys.PublicKey.Load(k), demoMode);

    /// <summary>A list of trusted public keys, at least one.</summary>
    public static void PublicKeys(string at, List<KeyConfig> keys, List<string> problems)
    {
        if (keys.Count == 0)
        {
            problems.Add($"{at}: at least one auth plugin public key is needed.");
        }

        for (var i = 0; i < keys.Count; i++)
        {
            PublicKey($"{at}:{i}", keys[i], problems);
        }
    }

    public static bool IsOrigin(string value) =>
        IsHttpUrl(value) && new Uri(value).AbsolutePath == "/" && string.IsNullOrEmpty(new Uri(value).Query);

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>True when a method's Start is a path on this server ending in <paramref name="suffix"/>, e.g. "/phone".</summary>
    public static bool ServedHere(MethodOptions method, string suffix) =>
        method.Start.StartsWith('/') && method.Start.TrimEnd('/').EndsWith(suffix, StringComparison.Ordinal);

    private static void Key(string at, KeyConfig? key, List<string> problems, Action<KeyConfig> load, bool demoMode)
    {
        if (key is null)
        {
            problems.Add(demoMode ? $"{at} is missing." : $"{at} is missing; keys are generated only with \"Demo\": true.");
            return;
        }

        try
        {
            load(key);
        }
        catch (KeyLoadException e)
        {
            problems.Add($"{at}: {e.Message}");
        }
    }
}
