namespace IdContact.Protocol.Keys;

/// <summary>A key as the protocol configures it: <c>{"type":"RSA"|"EC","key":"&lt;PEM&gt;"}</c>.</summary>
public sealed class KeyConfig
{
    public string Type { get; set; } = "";
    public string Key { get; set; } = "";

    public KeyConfig() { }

    public KeyConfig(string type, string key)
    {
        Type = type;
        Key = key;
    }
}
