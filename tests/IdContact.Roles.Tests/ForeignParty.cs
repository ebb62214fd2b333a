using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Jose;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdContact.Roles.Tests;

/// <summary>
/// Another vendor's comm and auth plugins, written from PROTOCOL.md alone: its own keys (System.Security.Cryptography)
/// and jose-jwt directly, never our IdContact.Protocol code, so a mistake of ours on the wire cannot hide behind the
/// same code on both sides. It answers with fields the protocol does not name (which must be ignored) and records
/// every call.
/// </summary>
public sealed class ForeignParty : LoopbackFake
{
    private ForeignParty()
    {
    }

    public string BaseUrl => Url;

    /// <summary>The same server under another origin (localhost, not 127.0.0.1): an address the core must not be sent to.</summary>
    public string OtherOrigin => Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    public const string TelUrl = "tel:+31201234567,,482913";

    public ConcurrentQueue<(string Path, string ContentType, string Body, string Authorization)> Calls { get; } = new();

    public IEnumerable<string> Paths => Calls.Select(c => c.Path);

    /// <summary>The vendor's auth plugin signs with these and encrypts to our comm-test's key.</summary>
    public ECDsa AuthEc { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public RSA AuthRsa { get; } = RSA.Create(2048);

    /// <summary>The vendor's comm plugin decrypts our auth-test's results with this.</summary>
    public ECDiffieHellman CommEcdh { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The vendor's comm plugin signs auth-only start requests with these (registered as starter keys).</summary>
    public ECDsa StarterEc { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public RSA StarterRsa { get; } = RSA.Create(2048);

    /// <summary>An auth-only start request as PROTOCOL.md says: a compact JWS with <c>kid</c> and the <c>request</c> claim.</summary>
    public string StartRequest(object request, string kid, bool rsa, double? exp = null)
    {
        var claims = new Dictionary<string, object> { ["request"] = request };
        if (exp is not null)
        {
            claims["exp"] = exp;
        }

        var header = new Dictionary<string, object> { ["kid"] = kid, ["typ"] = "JWT" };
        var payload = JsonSerializer.Serialize(claims);
        return rsa ? JWT.Encode(payload, StarterRsa, JwsAlgorithm.RS256, header) : JWT.Encode(payload, StarterEc, JwsAlgorithm.ES256, header);
    }

    public static Task<ForeignParty> StartAsync() => StartServerAsync(new ForeignParty(), "the foreign vendor's plugins");

    protected override void Map(WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            Calls.Enqueue((http.Request.Path, http.Request.ContentType ?? "", await reader.ReadToEndAsync(), http.Request.Headers.Authorization.ToString()));
            await next(http);
        });
        // Unknown extra fields, as a newer protocol version or a vendor might add: the core must ignore them.
        app.MapPost("/comm/start_communication", () => Results.Json(new
        {
            client_url = BaseUrl + "/comm/page",
            attr_url = BaseUrl + "/comm/attr",
            vendor_session = new { id = 7 },
        }));
        app.MapPost("/comm/attr", () => Results.Ok());
        app.MapGet("/comm/attr/status", () => Results.Json(new { state = "identified" }));
        app.MapPost("/auth/start_authentication", () => Results.Json(new { client_url = BaseUrl + "/auth/page", expires_in = 300 }));
        // Its results live on another host than its start, as the protocol allows: here one the operator did not trust.
        app.MapPost("/elsewhere/start_communication", () => Results.Json(new { client_url = BaseUrl + "/comm/page", attr_url = OtherOrigin + "/internal/attr" }));
        app.MapPost("/internal/attr", () => Results.Problem(statusCode: 400, detail: "internal service answer"));
        // A phone plugin with a key whose attr_url lies on its host but outside its own Start path.
        app.MapPost("/keyed/start_communication", () => Results.Json(new { client_url = TelUrl, attr_url = BaseUrl + "/comm/attr" }));
        // Misbehaving comm plugins: the core answers 502/504, never a 500 nor the redirect's target.
        app.MapPost("/redirect/start_communication", () => Results.Redirect(BaseUrl + "/comm/start_communication", permanent: false, preserveMethod: true));
        app.MapPost("/html/start_communication", () => Results.Text("<html><body>Maintenance</body></html>", "text/html"));
        app.MapPost("/fail/start_communication", () => Results.StatusCode(500));
        app.MapPost("/huge/start_communication", (HttpContext http) => HugeAsync(http));
    }

    /// <summary>A valid answer behind 4 MB of JSON whitespace: the core must not read without bound.</summary>
    private async Task HugeAsync(HttpContext http)
    {
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync("{\"client_url\":\"" + BaseUrl + "/comm/page\",\"pad\":\"");
        var chunk = new string('x', 64 * 1024);
        for (var i = 0; i < 64; i++)
        {
            await http.Response.WriteAsync(chunk);
        }

        await http.Response.WriteAsync("\"}");
    }

    /// <summary>
    /// An auth result as PROTOCOL.md lays it out, made with jose-jwt: inner JWS (RS256 or ES256) of <paramref name="claims"/>,
    /// outer JWE (ECDH-ES, A128CBC-HS256) of <c>{"njwt": …}</c> to <paramref name="comm"/>.
    /// </summary>
    public string Issue(object claims, bool rsa, ECDiffieHellman comm)
    {
        var payload = JsonSerializer.Serialize(claims);
        var typ = new Dictionary<string, object> { ["typ"] = "JWT" };
        var inner = rsa ? JWT.Encode(payload, AuthRsa, JwsAlgorithm.RS256, typ) : JWT.Encode(payload, AuthEc, JwsAlgorithm.ES256, typ);
        return JWT.Encode(JsonSerializer.Serialize(new { njwt = inner }), comm, JweAlgorithm.ECDH_ES, JweEncryption.A128CBC_HS256,
            extraHeaders: new Dictionary<string, object> { ["typ"] = "JWT", ["cty"] = "JWT" });
    }

    /// <summary>Claims of a successful result issued now, valid 5 minutes, with the given attributes and any extra claims.</summary>
    public static Dictionary<string, object> Claims(Dictionary<string, string> attributes, long? exp = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new() { ["sub"] = "id-contact-attributes", ["status"] = "succes", ["attributes"] = attributes, ["iat"] = now, ["exp"] = exp ?? now + 300 };
    }

    public static Dictionary<string, object> KeyConfig(string type, string pem) => new() { ["type"] = type, ["key"] = pem };
}
