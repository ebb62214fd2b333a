namespace IdContact.Protocol.Keys;

/// <summary>A key as the protocol configures it: <c>{"type":"RSA"|"EC","key":"&lt;PEM&gt;"}</c>.</summary>
public sealed class KeyConfig
{
    public string Type { get; set; } = "";
    public string Key { get; set; } = "";

    /// <summary>Our extension, for trusted (verification) keys: the sign-in method this key vouches for, e.g. "Yivi".</summary>
    public string? Name { get; set; }

    /// <summary>Our extension: a test plugin's key. What it signs is shown as test data, never as proven.</summary>
    public bool Test { get; set; }

    public KeyConfig() { }

    public KeyConfig(string type, string key)
    {
        Type = type;
        Key = key;
    }
}
