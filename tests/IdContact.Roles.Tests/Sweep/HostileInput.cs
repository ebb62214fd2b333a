using System.Net.Http.Headers;
using System.Text;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>The bad values and bodies the sweep sends; a fixed, small sample, so every run sends the same requests.</summary>
public sealed class HostileInput
{
    /// <summary>Markup that must never come back as markup: a page shows it escaped, an API answer as JSON text.</summary>
    public const string Script = "<script>sweep(1)</script>";

    /// <summary>An attribute-breaking variant of the same.</summary>
    public const string Attribute = "\"'><svg onload=sweep(2)>";

    /// <summary>Text with a NUL inside: SQLite stores it, PostgreSQL refuses it in any text parameter (22021).</summary>
    public const string Nul = "sweep\u0000nul";

    /// <summary>Longer than any column (PostgreSQL checks varchar lengths, SQLite does not), yet a form of modest size.</summary>
    public static readonly string Long = new('l', 3000);

    /// <summary>What is looked for in every response body: either marker unescaped.</summary>
    public static readonly string[] Markers = ["<script>sweep", "<svg onload=sweep"];

    /// <summary>Route values, percent-encoded as they go on the wire (a path's %2F stays encoded in ASP.NET Core).</summary>
    public static readonly (string Name, string Value)[] RouteValues =
    [
        ("unknown", "doesnotexist0123456789abcdef"),
        ("long", new string('a', 3000)),
        ("nul", "%00"),
        ("nul-inside", "sweep%00nul"),
        ("traversal", "..%2F..%2Fetc%2Fpasswd"),
        ("unicode", "%C3%BC%E2%82%AC%F0%9F%98%80%E2%80%AE"),
        ("bad-utf8", "%FF%FE"),
        ("script", Uri.EscapeDataString(Script)),
        ("attribute", Uri.EscapeDataString(Attribute)),
        ("blank", "%20"),
    ];

    /// <summary>Names handlers read from the query by hand (besides the bound parameters each endpoint declares).</summary>
    public static readonly string[] QueryNames = ["lang", "c", "l", "s", "v", "t", "kind", "page", "result", "returnUrl", "message", "error", "state", "id"];

    /// <summary>Field names of the desk's, the plugins' and the exchange's forms and JSON bodies.</summary>
    private static readonly string[] FieldNames =
    [
        "purpose", "auth_method", "comm_method", "auth_result", "attributes", "continuation", "attr_url", "comm_url", "code", "call_id", "caller",
        "userName", "password", "code", "returnUrl", "currentPassword", "newPassword", "confirmPassword", "displayName", "extension", "role",
        "text", "clientId", "method", "available", "to", "agentId", "reason", "slot", "email", "name", "date", "start", "phone", "language", "lang",
        "fullname", "bsn", "birthdate", "choice", "callId", "session", "message",
    ];

    private readonly string _expired;
    private readonly string _markup;
    private readonly string _foreignResult;
    private readonly string _foreignStart;

    /// <param name="keys">The demo server's generated keys (<c>{data}/keys</c>): results that are well-formed but expired or signed by a stranger.</param>
    public HostileInput(string keys)
    {
        var signer = PrivateKey.FromPem(KeyType.Rsa, File.ReadAllText(System.IO.Path.Combine(keys, "auth-signing.pem")));
        var desk = PrivateKey.FromPem(KeyType.Rsa, File.ReadAllText(System.IO.Path.Combine(keys, "comm-decryption.pem")));
        var stranger = PrivateKey.Generate(KeyType.Rsa);
        var attributes = new Dictionary<string, string> { ["fullname"] = Script, ["bsn"] = Attribute };
        _expired = AuthResultToken.Issue(AuthResult.Succeeded(attributes), signer, desk.PublicKey, DateTimeOffset.UtcNow.AddHours(-2));
        _foreignResult = AuthResultToken.Issue(AuthResult.Succeeded(attributes), stranger, desk.PublicKey, DateTimeOffset.UtcNow);
        _markup = AuthResultToken.Issue(
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = Script, ["birthdate"] = Attribute, ["email"] = Attribute }),
            signer, desk.PublicKey, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(30));
        // An auth-only start that names the desk's starter key but is signed by someone else.
        _foreignStart = AuthOnlyStartToken.Create(
            new AuthOnlyRequest("report_move", "test", "https://example.org/" + Script, "https://example.org/attr"), stranger, "desk", DateTimeOffset.UtcNow);
    }

    /// <summary>
    /// A valid result whose attribute values are markup. The sweep's set-up delivers it once; every later post of it
    /// (the <c>jwt-replayed</c> body) is a replay that no session may take.
    /// </summary>
    public string MarkupResult => _markup;

    /// <summary>Query strings: every name the handler may read set to markup, to a long value, and plain garbage.</summary>
    public static IEnumerable<(string Name, string Query)> Queries(IEnumerable<string> declared)
    {
        var names = declared.Concat(QueryNames).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        yield return ("query-script", string.Join("&", names.Select((n, i) => $"{n}={Uri.EscapeDataString(i % 2 == 0 ? Script : Attribute)}")));
        yield return ("query-long", string.Join("&", names.Take(3).Select(n => $"{n}={new string('9', 2000)}")));
        yield return ("query-nul", string.Join("&", names.Select(n => $"{n}={Uri.EscapeDataString(Nul)}")));
        yield return ("query-garbage", "%ZZ=%&&==&page=-1&page=99999999999999999999&lang=xx&returnUrl=javascript:alert(1)&returnUrl=%2F%2Fevil.example&result=a.b.c.d.e&t=%00&c=%FF");
    }

    /// <summary>Bodies for a POST (or PUT/PATCH): every one of them is wrong somehow.</summary>
    public IEnumerable<(string Name, Func<HttpContent?> Body)> Bodies()
    {
        yield return ("no-body", () => null);
        yield return ("empty-json", () => Json("{}"));
        yield return ("malformed-json", () => Json("{\"purpose\": \"report_move\", "));
        yield return ("json-array", () => Json("[1, 2, 3]"));
        yield return ("json-wrong-types", () => Json(WrongTypes()));
        yield return ("json-hostile-strings", () => Json(HostileStrings(_expired)));
        yield return ("json-foreign-result", () => Json(HostileStrings(_foreignResult)));
        yield return ("json-nul", () => Json(NulStrings()));
        yield return ("json-deep", () => Json(new string('[', 5000) + new string(']', 5000)));
        yield return ("form-hostile", () => Form(Fields(Script)));
        yield return ("form-nul", () => Form(Fields(Nul, Nul)));
        yield return ("form-long", () => Form(Fields(Long, Long)));
        yield return ("form-malformed", () => Raw("%%%=&&==&=%ZZ", "application/x-www-form-urlencoded"));
        yield return ("form-too-many-fields", () => Raw(string.Join("&", Enumerable.Range(0, 2000).Select(i => $"f{i}=1")), "application/x-www-form-urlencoded"));
        // A charset .NET refuses to decode (UTF-7 is disabled): reading the form throws NotSupportedException.
        yield return ("form-utf7", () => Raw("code=12345678&purpose=report_move&text=a", "application/x-www-form-urlencoded; charset=utf-7"));
        yield return ("multipart-utf7", () => Raw("--zz\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n--zz--\r\n", "multipart/form-data; boundary=zz; charset=utf-7"));
        yield return ("multipart-broken", () => Raw("--zz\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end", "multipart/form-data; boundary=zz"));
        yield return ("text-plain", () => Raw(Script, "text/plain"));
        yield return ("xml", () => Raw("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>", "application/xml"));
        yield return ("jwt-garbage", () => Raw("a.b.c.d.e", MediaTypes.Jwt));
        yield return ("jwt-expired", () => Raw(_expired, MediaTypes.Jwt));
        yield return ("jwt-foreign-signed", () => Raw(_foreignResult, MediaTypes.Jwt));
        yield return ("jwt-foreign-start", () => Raw(_foreignStart, MediaTypes.Jwt));
        yield return ("jwt-replayed", () => Raw(_markup, MediaTypes.Jwt));
        yield return ("json-replayed", () => Json(HostileStrings(_markup)));
        yield return ("jwt-over-64k", () => Raw(new string('a', 100 * 1024), MediaTypes.Jwt));
        // Beyond Kestrel's MaxRequestBodySize (1 MiB), as JSON and as a form.
        yield return ("oversized-json", () => Json("{\"purpose\":\"" + new string('a', 1536 * 1024) + "\"}"));
        yield return ("oversized-form", () => Raw("text=" + new string('a', 1536 * 1024), "application/x-www-form-urlencoded"));
    }

    /// <summary>The hostile form once more, with the page's antiforgery field: what a signed-in browser could post.</summary>
    public static HttpContent FormWithToken(string field, string token, string value = Script) =>
        Form(Fields(value, value == Script ? Attribute : value).Append(new(field, token)).Append(new("returnUrl", "javascript:alert(1)")));

    private static IEnumerable<KeyValuePair<string, string>> Fields(string value, string other = Attribute) =>
        FieldNames.Distinct().Select((n, i) => new KeyValuePair<string, string>(n, i % 2 == 0 ? value : other));

    /// <summary>Every field a NUL-carrying string, the purpose a valid one with a NUL after it.</summary>
    private static string NulStrings() =>
        System.Text.Json.JsonSerializer.Serialize(FieldNames.Distinct().ToDictionary(n => n, n => n == "purpose" ? "report_move\u0000" : Nul));

    private static string WrongTypes() =>
        "{\"purpose\":[\"report_move\"],\"auth_method\":{},\"comm_method\":1e999,\"auth_result\":12,\"attributes\":\"fullname\","
        + "\"continuation\":null,\"attr_url\":[],\"code\":{\"a\":1},\"call_id\":true,\"caller\":-1,\"text\":[],\"clientId\":{}}";

    private static string HostileStrings(string token) =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["purpose"] = "report_move",
            ["auth_method"] = Script,
            ["comm_method"] = "phone",
            ["auth_result"] = token,
            ["attributes"] = new[] { Script, "fullname" },
            ["continuation"] = "javascript:alert(1)",
            ["attr_url"] = "http://169.254.169.254/latest/meta-data",
            ["code"] = Attribute,
            ["call_id"] = new string('c', 5000),
            ["caller"] = Script,
            ["text"] = Script,
        });

    private static StringContent Json(string json) => Raw(json, "application/json");

    private static FormUrlEncodedContent Form(IEnumerable<KeyValuePair<string, string>> fields) => new(fields);

    private static StringContent Raw(string text, string contentType)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}
