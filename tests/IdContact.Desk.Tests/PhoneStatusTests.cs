using System.Net;
using IdContact.Protocol.Tokens;

namespace IdContact.Desk.Tests;

/// <summary>The phone session's state for the core's phone page (GET {attr_url}/status); both databases.</summary>
public abstract partial class DeskStoreTests<TServer>
{
    [Fact]
    public async Task The_phone_status_says_waiting_then_identified_and_never_the_data()
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, desk.Token("Fatima El Amrani"))).StatusCode);
        var status = new Uri(attrUrl).AbsolutePath + "/status";

        var waiting = await desk.Server.Client.GetAsync(status);
        Assert.Equal(HttpStatusCode.OK, waiting.StatusCode);
        Assert.Equal("""{"state":"waiting"}""", await waiting.Content.ReadAsStringAsync());
        Assert.Equal("no-store", waiting.Headers.CacheControl?.ToString());

        Assert.Equal("matched", await desk.IdentifyAsync(desk.TenantA, code, "call-status-1", null));
        var identified = await desk.Server.Client.GetAsync(status);
        // The state alone: no name, no BSN, no code.
        Assert.Equal("""{"state":"identified"}""", await identified.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task After_a_failed_sign_in_the_phone_status_says_failed_also_once_the_call_came_in()
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var failed = AuthResultToken.Issue(AuthResult.Failure(), desk.TestKey, desk.DeskKey.PublicKey, DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, failed)).StatusCode);
        var status = new Uri(attrUrl).AbsolutePath + "/status";
        Assert.Equal("""{"state":"failed"}""", await (await desk.Server.Client.GetAsync(status)).Content.ReadAsStringAsync());

        // The resident may still call with the code; nothing was passed on, so the page must not say it was.
        Assert.Equal("matched", await desk.IdentifyAsync(desk.TenantA, code, "call-status-failed", null));
        Assert.Equal("""{"state":"failed"}""", await (await desk.Server.Client.GetAsync(status)).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("foreign")]
    [InlineData("long")]
    public async Task The_phone_status_of_an_unknown_or_another_tenants_session_is_a_404_problem(string kind)
    {
        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        var id = new Uri(attrUrl).AbsolutePath.Split('/').Last();
        var path = kind switch
        {
            "unknown" => $"/{desk.TenantA}/phone/attr/AAAAAAAAAAAAAAAAAAAAAA/status",
            "foreign" => $"/{desk.TenantB}/phone/attr/{id}/status",
            _ => $"/{desk.TenantA}/phone/attr/{id}{new string('x', 200)}/status",
        };

        // The session's own status answers (so a 404 below is the endpoint's, not a missing route's).
        Assert.Equal(HttpStatusCode.OK, (await desk.Server.Client.GetAsync(new Uri(attrUrl).AbsolutePath + "/status")).StatusCode);
        var response = await desk.Server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("state", await response.Content.ReadAsStringAsync());
    }
}
