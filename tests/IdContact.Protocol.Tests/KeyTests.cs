using System.Security.Cryptography;
using IdContact.Protocol.Keys;

namespace IdContact.Protocol.Tests;

public class KeyTests
{
    [Theory]
    [InlineData("RSA", KeyType.Rsa)]
    [InlineData("rsa", KeyType.Rsa)]
    [InlineData("EC", KeyType.Ec)]
    public void Configured_keys_load_and_round_trip(string type, KeyType kind)
    {
        var key = PrivateKey.Generate(kind);
        var loaded = PrivateKey.Load(new KeyConfig(type, key.ToPem()));
        Assert.Equal(kind, loaded.Type);
        Assert.Equal(key.PublicKey.ToPem(), PublicKey.Load(new KeyConfig(type, key.PublicKey.ToPem())).ToPem());
    }

    [Fact]
    public void Bad_keys_are_refused_with_a_clear_sentence()
    {
        var rsa = PrivateKey.Generate(KeyType.Rsa);
        Assert.Contains("not supported", Assert.Throws<KeyLoadException>(() => PrivateKey.Load(new KeyConfig("DSA", rsa.ToPem()))).Message);
        Assert.Contains("not PEM", Assert.Throws<KeyLoadException>(() => PrivateKey.Load(new KeyConfig("RSA", "hello"))).Message);
        Assert.Contains("empty", Assert.Throws<KeyLoadException>(() => PrivateKey.Load(new KeyConfig("RSA", ""))).Message);
        Assert.Contains("'PRIVATE KEY'", Assert.Throws<KeyLoadException>(() => PrivateKey.Load(new KeyConfig("RSA", rsa.PublicKey.ToPem()))).Message);
        Assert.Contains("valid EC", Assert.Throws<KeyLoadException>(() => PrivateKey.Load(new KeyConfig("EC", rsa.ToPem()))).Message);

        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = PemEncoding.WriteString("PRIVATE KEY", p384.ExportPkcs8PrivateKey());
        Assert.Contains("P-256", Assert.Throws<KeyLoadException>(() => PrivateKey.Load(new KeyConfig("EC", pem))).Message);
    }
}
