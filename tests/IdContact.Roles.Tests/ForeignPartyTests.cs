using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jose;

namespace IdContact.Roles.Tests;

/// <summary>A server whose tenant mixes our roles with <see cref="ForeignParty"/>'s plugins, keys exchanged as an operator would.</summary>
public sealed class ForeignPartyFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;

    public ForeignParty Vendor { get; private set; } = null!;

    /// <summary>Our auth-test signs with this (ES256); the vendor's comm plugin trusts its public half.</summary>
    public ECDsa OurAuthSigning { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Our comm-test decrypts with this; the vendor's auth plugin encrypts to its public half.</summary>
    public ECDiffieHellman OurCommDecryption { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public const string KeyedCommKey = "core-to-vendor-phone-key-0123456";

    private string _configPath = "";

    public async Task InitializeAsync()
    {
        Vendor = await ForeignParty.StartAsync();
        var v = Vendor.BaseUrl;
        object Comm(string tag, string start, bool late = false, string? key = null) =>
            new { Tag = tag, Name = tag, ImagePath = "x.svg", Start = start, DisableAttributesAtStart = late, ApiKey = key };
        var config = new
        {
            Demo = true,
            Core = new { PluginTimeoutSeconds = 5 },
            AuthTest = new
            {
                SigningKey = ForeignParty.KeyConfig("EC", OurAuthSigning.ExportPkcs8PrivateKeyPem()),
                EncryptionKey = ForeignParty.KeyConfig("EC", Vendor.CommEcdh.ExportSubjectPublicKeyInfoPem()),
            },
            CommTest = new
            {
                DecryptionKey = ForeignParty.KeyConfig("EC", OurCommDecryption.ExportPkcs8PrivateKeyPem()),
                VerificationKeys = new[]
                {
                    ForeignParty.KeyConfig("EC", Vendor.AuthEc.ExportSubjectPublicKeyInfoPem()),
                    ForeignParty.KeyConfig("RSA", Vendor.AuthRsa.ExportSubjectPublicKeyInfoPem()),
                },
            },
            Tenants = new Dictionary<string, object>
            {
                ["testville"] = new
                {
                    DisplayName = "Gemeente Testville",
                    Purposes = new object[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname", "email" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
                    AuthMethods = new object[]
                    {
                        // Configured with a trailing slash, as an operator copying a base URL would.
                        new { Tag = "vendor", Name = "Vendor", ImagePath = "x.svg", Start = v + "/auth/" },
                        new { Tag = "vendor-shim", Name = "Vendor shim", ImagePath = "x.svg", Start = v + "/auth", DisableAttrUrl = true },
                        new { Tag = "vendor-tel", Name = "Vendor tel", ImagePath = "x.svg", Start = v + "/auth", ShimTelUrl = true },
                        new { Tag = "test", Name = "Testinlog", ImagePath = "x.svg", Start = "/{tenant}/auth-test" },
                    },
                    CommMethods = new object[]
                    {
                        Comm("vendor", v + "/comm/"), Comm("elsewhere", v + "/elsewhere"), Comm("elsewhere-late", v + "/elsewhere", late: true),
                        Comm("keyed", v + "/keyed", key: KeyedCommKey), Comm("redirect", v + "/redirect"), Comm("html", v + "/html"),
                        Comm("fail", v + "/fail"), Comm("huge", v + "/huge"), Comm("test", "/{tenant}/comm-test"),
                    },
                    StarterKeys = new Dictionary<string, object>
                    {
                        ["vendor-ec"] = ForeignParty.KeyConfig("EC", Vendor.StarterEc.ExportSubjectPublicKeyInfoPem()),
                        ["vendor-rsa"] = ForeignParty.KeyConfig("RSA", Vendor.StarterRsa.ExportSubjectPublicKeyInfoPem()),
                    },
                },
            },
        };
        _configPath = Path.Combine(Path.GetTempPath(), $"idcontact-foreign-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_configPath, JsonSerializer.Serialize(config));
        Server = await RunningServer.StartAsync("--config", _configPath);
    }

    public async Task<HttpResponseMessage> StartAsync(object body, bool json = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/testville/start") { Content = JsonContent.Create(body) };
        if (json)
        {
            request.Headers.Accept.ParseAdd("application/json");
        }

        return await Server.Client.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Vendor.DisposeAsync();
        File.Delete(_configPath);
    }
}

/// <summary>
/// A newcomer at another vendor builds a comm plugin, an auth plugin and a core from PROTOCOL.md alone and meets ours:
/// exact field names, content types and token layout, unknown fields ignored, trailing slashes, misbehaving plugins.
/// </summary>
public class ForeignPartyTests(ForeignPartyFixture fixture) : IClassFixture<ForeignPartyFixture>
{
    private ForeignParty Vendor => fixture.Vendor;

    private HttpClient Client => fixture.Server.Client;

    [Fact]
    public async Task Our_core_starts_a_vendors_plugins_behind_trailing_slashes_with_exactly_the_protocols_fields()
    {
        Vendor.Calls.Clear();
        var response = await fixture.StartAsync(new { purpose = "report_move", auth_method = "vendor", comm_method = "vendor" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"client_url":"URL/auth/page"}""".Replace("URL", Vendor.BaseUrl, StringComparison.Ordinal), await response.Content.ReadAsStringAsync());

        Assert.Equal(["/comm/start_communication", "/auth/start_authentication"], Vendor.Paths);
        var (comm, auth) = (Vendor.Calls.First(), Vendor.Calls.Last());
        Assert.Equal("application/json", MediaTypeHeaderValue.Parse(comm.ContentType).MediaType);
        Assert.Equal("""{"purpose":"report_move"}""", comm.Body);
        Assert.Equal("application/json", MediaTypeHeaderValue.Parse(auth.ContentType).MediaType);
        Assert.Equal(
            $$"""{"attributes":["fullname","email"],"continuation":"{{Vendor.BaseUrl}}/comm/page","attr_url":"{{Vendor.BaseUrl}}/comm/attr"}""",
            auth.Body);

        // Without Accept: application/json, a 303 to the same URL.
        var redirect = await fixture.StartAsync(new { purpose = "report_move", auth_method = "vendor", comm_method = "vendor" }, json: false);
        Assert.Equal(HttpStatusCode.SeeOther, redirect.StatusCode);
        Assert.Equal(Vendor.BaseUrl + "/auth/page", redirect.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData("redirect", HttpStatusCode.BadGateway)]
    [InlineData("html", HttpStatusCode.BadGateway)]
    [InlineData("fail", HttpStatusCode.BadGateway)]
    [InlineData("huge", HttpStatusCode.BadGateway)]
    public async Task A_vendors_comm_plugin_answering_a_redirect_html_a_500_or_a_huge_body_is_a_problem_naming_the_method(string comm, HttpStatusCode expected)
    {
        Vendor.Calls.Clear();
        var response = await fixture.StartAsync(new { purpose = "report_move", auth_method = "vendor", comm_method = comm });
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
        Assert.Contains($"comm method '{comm}'", detail);
        Assert.DoesNotContain(Vendor.BaseUrl, detail);
        // The redirect is not followed, and no sign-in starts for a session that does not exist.
        Assert.Equal([$"/{comm}/start_communication"], Vendor.Paths);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Our_comm_plugin_takes_a_vendors_result_ignoring_extra_claims_and_showing_unasked_and_empty_attributes(bool rsa)
    {
        var (clientUrl, attrUrl) = await StartCommTestAsync();
        var claims = ForeignParty.Claims(new() { ["fullname"] = "Anna de Wit", ["email"] = "", ["iban"] = "NL91ABNA0417164300" });
        claims["vendor_assurance"] = "substantial";
        var token = Vendor.Issue(claims, rsa, fixture.OurCommDecryption);

        var posted = await Client.PostAsync(attrUrl, Jwt(token));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var page = WebUtility.HtmlDecode(await Client.GetStringAsync(clientUrl));
        Assert.Contains("data-status=\"success\"", page);
        Assert.Contains("Anna de Wit", page);
        Assert.Contains("NL91ABNA0417164300", page);

        // The same session takes one result only; the same token anywhere is a replay.
        var again = await Client.PostAsync(attrUrl, Jwt(Vendor.Issue(ForeignParty.Claims(new() { ["fullname"] = "Other" }), rsa, fixture.OurCommDecryption)));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Our_comm_plugin_takes_a_vendors_result_whose_times_are_fractional_seconds()
    {
        // RFC 7519's NumericDate may be non-integer: Date.now() / 1000 + 300 in a script, time.time() + 300 in Python.
        var (clientUrl, attrUrl) = await StartCommTestAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var claims = ForeignParty.Claims(new() { ["fullname"] = "Ben Breuk" });
        (claims["iat"], claims["exp"]) = (now + 0.25, now + 300.25);

        var posted = await Client.PostAsync(attrUrl, Jwt(Vendor.Issue(claims, rsa: false, fixture.OurCommDecryption)));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("Ben Breuk", WebUtility.HtmlDecode(await Client.GetStringAsync(clientUrl)));

        (_, attrUrl) = await StartCommTestAsync();
        (claims["iat"], claims["exp"]) = (now - 600.5, now - 300.5);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync(attrUrl, Jwt(Vendor.Issue(claims, rsa: false, fixture.OurCommDecryption)))).StatusCode);
    }

    [Fact]
    public async Task Our_comm_plugin_refuses_a_vendors_expired_or_unknown_signer_result_with_a_400_problem()
    {
        var (_, attrUrl) = await StartCommTestAsync();
        var expired = Vendor.Issue(ForeignParty.Claims(new() { ["fullname"] = "A" }, exp: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds()), false, fixture.OurCommDecryption);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync(attrUrl, Jwt(expired))).StatusCode);

        var stranger = JWT.Encode(JsonSerializer.Serialize(ForeignParty.Claims(new() { ["fullname"] = "A" })), ECDsa.Create(ECCurve.NamedCurves.nistP256), JwsAlgorithm.ES256);
        var outer = JWT.Encode(JsonSerializer.Serialize(new { njwt = stranger }), fixture.OurCommDecryption, JweAlgorithm.ECDH_ES, JweEncryption.A128CBC_HS256);
        var refused = await Client.PostAsync(attrUrl, Jwt(outer));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Our_auth_plugin_delivers_a_result_a_vendors_comm_plugin_opens_with_the_exact_token_layout()
    {
        // The vendor's core asks our auth-test, with its own comm plugin's continuation and attr_url and an unknown field.
        var start = await Client.PostAsJsonAsync("/testville/auth-test/start_authentication", new
        {
            attributes = new[] { "fullname", "email" },
            continuation = Vendor.BaseUrl + "/comm/page",
            attr_url = Vendor.BaseUrl + "/comm/attr",
            vendor_trace = "abc",
        });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal("application/json", start.Content.Headers.ContentType?.MediaType);
        var pageUrl = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;

        Vendor.Calls.Clear();
        var page = await Client.GetStringAsync(pageUrl);
        var fields = new Dictionary<string, string>(TestPluginsFixture.Inputs(page)) { ["action"] = "success", ["attr:fullname"] = "Anna de Wit", ["attr:email"] = "" };
        var done = await Client.PostAsync(new Uri(new Uri(pageUrl), TestPluginsFixture.FormAction(page)), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.SeeOther, done.StatusCode);
        Assert.Equal(Vendor.BaseUrl + "/comm/page", done.Headers.Location?.ToString());

        var delivered = Assert.Single(Vendor.Calls);
        Assert.Equal("/comm/attr", delivered.Path);
        Assert.Equal("application/jwt", delivered.ContentType);
        var outerHeader = JWT.Headers(delivered.Body);
        Assert.Equal(("JWT", "JWT", "ECDH-ES", "A128CBC-HS256"), ((string)outerHeader["typ"], (string)outerHeader["cty"], (string)outerHeader["alg"], (string)outerHeader["enc"]));
        var njwt = JsonDocument.Parse(JWT.Decode(delivered.Body, Vendor.CommEcdh)).RootElement.GetProperty("njwt").GetString()!;
        var innerHeader = JWT.Headers(njwt);
        Assert.Equal(("JWT", "ES256"), ((string)innerHeader["typ"], (string)innerHeader["alg"]));
        var claims = JsonDocument.Parse(JWT.Decode(njwt, PublicOnly(fixture.OurAuthSigning))).RootElement;
        Assert.Equal("id-contact-attributes", claims.GetProperty("sub").GetString());
        Assert.Equal("succes", claims.GetProperty("status").GetString());
        Assert.Equal("Anna de Wit", claims.GetProperty("attributes").GetProperty("fullname").GetString());
        Assert.Equal("", claims.GetProperty("attributes").GetProperty("email").GetString());
        Assert.Equal(claims.GetProperty("iat").GetInt64() + 300, claims.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task A_vendors_core_starts_our_comm_plugin_with_an_unknown_field_and_gets_the_protocols_answer()
    {
        var response = await Client.PostAsJsonAsync("/testville/comm-test/start_communication", new { purpose = "report_move", vendor_trace = "abc" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var names = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["attr_url", "client_url"], names);
    }

    [Fact]
    public async Task A_comm_plugins_attr_url_off_the_allowed_origins_gets_no_request_from_the_core_and_no_sign_in()
    {
        // Comm-only with the fallback: the core itself would post the resident's token to the internal address.
        Vendor.Calls.Clear();
        var late = await fixture.StartAsync(new { purpose = "report_move", comm_method = "elsewhere-late", auth_result = "tok.en" });
        Assert.Equal(HttpStatusCode.BadGateway, late.StatusCode);
        Assert.DoesNotContain("internal service answer", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["/elsewhere/start_communication"], Vendor.Paths);

        // Full start: no auth plugin is asked to deliver there, nor the core's shim made to.
        foreach (var auth in new[] { "vendor", "vendor-shim" })
        {
            Vendor.Calls.Clear();
            var full = await fixture.StartAsync(new { purpose = "report_move", auth_method = auth, comm_method = "elsewhere" });
            Assert.Equal(HttpStatusCode.BadGateway, full.StatusCode);
            Assert.Equal(["/elsewhere/start_communication"], Vendor.Paths);
        }
    }

    [Fact]
    public async Task A_comm_methods_key_goes_to_its_own_plugin_only_never_to_an_attr_url_outside_its_start()
    {
        Vendor.Calls.Clear();
        var response = await fixture.StartAsync(new { purpose = "report_move", auth_method = "vendor-tel", comm_method = "keyed" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var continuation = JsonDocument.Parse(Vendor.Calls.Last().Body).RootElement.GetProperty("continuation").GetString()!;
        Assert.StartsWith(fixture.Server.BaseUrl + "/testville/phone?t=", continuation);

        // The page shows the code but follows no status: the attr_url is not under the keyed method's Start.
        var page = WebUtility.HtmlDecode(await Client.GetStringAsync(continuation));
        Assert.Contains("482913", page);
        Assert.DoesNotContain("data-status=", page);
        var t = continuation[(continuation.IndexOf("?t=", StringComparison.Ordinal) + 3)..];
        Vendor.Calls.Clear();
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/testville/phone/status?t=" + t)).StatusCode);
        Assert.DoesNotContain(Vendor.Calls, c => c.Authorization.Contains(ForeignPartyFixture.KeyedCommKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Our_core_takes_a_vendors_signed_auth_only_start_in_either_key_type_with_or_without_exp(bool rsa, bool withExp)
    {
        Vendor.Calls.Clear();
        var request = new { purpose = "report_move", auth_method = "vendor", comm_url = Vendor.BaseUrl + "/comm/page", attr_url = Vendor.BaseUrl + "/comm/attr", vendor_ref = 1 };
        long? exp = withExp ? DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds() : null;
        var response = await PostJwtAsync(Vendor.StartRequest(request, rsa ? "vendor-rsa" : "vendor-ec", rsa, exp));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Vendor.BaseUrl + "/auth/page", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString());
        var auth = Assert.Single(Vendor.Calls);
        Assert.Equal("/auth/start_authentication", auth.Path);
        Assert.Equal(
            $$"""{"attributes":["fullname","email"],"continuation":"{{Vendor.BaseUrl}}/comm/page","attr_url":"{{Vendor.BaseUrl}}/comm/attr"}""",
            auth.Body);
    }

    [Fact]
    public async Task Our_core_refuses_a_vendors_auth_only_start_unsigned_unknown_key_other_key_expired_or_for_a_wrong_purpose()
    {
        var request = new { purpose = "report_move", auth_method = "vendor", comm_url = Vendor.BaseUrl + "/comm/page" };
        var good = Vendor.StartRequest(request, "vendor-ec", rsa: false);
        var unsigned = B64("""{"alg":"none","kid":"vendor-ec"}""") + "." + good.Split('.')[1] + ".";
        var cases = new (string Jwt, HttpStatusCode Status)[]
        {
            (unsigned, HttpStatusCode.Unauthorized),
            (Vendor.StartRequest(request, "vendor-unknown", rsa: false), HttpStatusCode.Unauthorized),
            // Signed with the RSA starter key but naming the EC one.
            (Vendor.StartRequest(request, "vendor-ec", rsa: true), HttpStatusCode.Unauthorized),
            (Vendor.StartRequest(request, "vendor-ec", rsa: false, exp: DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds()), HttpStatusCode.Unauthorized),
            // A fractional NumericDate (RFC 7519 allows one) is read, not taken for no exp at all.
            (Vendor.StartRequest(request, "vendor-ec", rsa: false, exp: DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds() + 0.5), HttpStatusCode.Unauthorized),
            (Vendor.StartRequest(request with { purpose = "no_such_purpose" }, "vendor-ec", rsa: false), HttpStatusCode.NotFound),
            (Vendor.StartRequest(request with { auth_method = "no_such_method" }, "vendor-ec", rsa: false), HttpStatusCode.BadRequest),
            // An attr_url the core would itself post to through the shim, on an address it may not deliver to.
            (Vendor.StartRequest(new { purpose = "report_move", auth_method = "vendor-shim", comm_url = Vendor.BaseUrl + "/comm/page", attr_url = Vendor.OtherOrigin + "/internal/attr" }, "vendor-ec", rsa: false), HttpStatusCode.BadRequest),
        };
        foreach (var (jwt, status) in cases)
        {
            Vendor.Calls.Clear();
            var response = await PostJwtAsync(jwt);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Empty(Vendor.Calls);
        }
    }

    private async Task<HttpResponseMessage> PostJwtAsync(string jwt)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/testville/start") { Content = Jwt(jwt) };
        message.Headers.Accept.ParseAdd("application/json");
        return await Client.SendAsync(message);
    }

    private static string B64(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');


    private async Task<(string ClientUrl, string AttrUrl)> StartCommTestAsync()
    {
        var response = await Client.PostAsJsonAsync("/testville/comm-test/start_communication", new { purpose = "report_move" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("client_url").GetString()!, json.GetProperty("attr_url").GetString()!);
    }

    private static StringContent Jwt(string token)
    {
        var content = new StringContent(token, Encoding.ASCII);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/jwt");
        return content;
    }

    private static ECDsa PublicOnly(ECDsa key)
    {
        var pub = ECDsa.Create();
        pub.ImportFromPem(key.ExportSubjectPublicKeyInfoPem());
        return pub;
    }
}
