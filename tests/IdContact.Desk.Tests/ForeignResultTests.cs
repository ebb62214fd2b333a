using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Jose;

namespace IdContact.Desk.Tests;

/// <summary>
/// Another vendor's auth plugin, written from PROTOCOL.md with jose-jwt alone (never our token code), feeds the desk's
/// three channels: at start and at the attr_url, RSA-OAEP, a fractional exp, an unasked tag, an empty value, an extra claim.
/// </summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task A_vendors_result_made_with_jose_jwt_opens_at_every_channels_start_and_at_the_phone_attr_url()
    {
        foreach (var channel in new[] { "phone", "chat", "video" })
        {
            var response = await desk.Server.Client.PostAsJsonAsync($"/{desk.TenantA}/{channel}/start_communication",
                new { purpose = "report_move", auth_result = VendorToken(channel) });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{channel}: {await response.Content.ReadAsStringAsync()}");
        }

        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, VendorToken("attr"))).StatusCode);
    }

    /// <summary>RS256 by the trusted "Yivi" key, RSA-OAEP + A128CBC-HS256 to the desk's key, as PROTOCOL.md lays it out.</summary>
    private string VendorToken(string nonce)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "id-contact-attributes",
            ["status"] = "succes",
            ["attributes"] = new Dictionary<string, string> { ["fullname"] = "Vera Vendor", ["email"] = "", ["iban"] = "NL91ABNA0417164300" },
            ["iat"] = now,
            ["exp"] = now + 300,
            ["vendor_nonce"] = nonce,
        };
        using var signer = RSA.Create();
        signer.ImportFromPem(desk.YiviKey.ToPem());
        using var recipient = RSA.Create();
        recipient.ImportFromPem(desk.DeskKey.PublicKey.ToPem());
        var inner = JWT.Encode(JsonSerializer.Serialize(claims), signer, JwsAlgorithm.RS256, new Dictionary<string, object> { ["typ"] = "JWT" });
        return JWT.Encode(JsonSerializer.Serialize(new { njwt = inner }), recipient, JweAlgorithm.RSA_OAEP, JweEncryption.A128CBC_HS256,
            extraHeaders: new Dictionary<string, object> { ["typ"] = "JWT", ["cty"] = "JWT" });
    }
}
