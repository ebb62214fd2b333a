using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Protocol.Tokens;

namespace IdContact.Roles.Tests;

/// <summary>The auth-irma role against its fake IRMA server: each outcome of the phone gives the result it must.</summary>
public class AuthIrmaRoleTests(IrmaFixture fixture) : IClassFixture<IrmaFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Shared_details_reach_the_comm_plugin_as_a_succes_token_with_exactly_the_disclosed_values()
    {
        var (attrUrl, id) = fixture.NewAttrUrl();
        var page = await fixture.StartAsync(["fullname", "birthdate", "bsn", "email"], "https://example.org/back?x=1", attrUrl);
        await fixture.ScriptAsync(page, "done", new()
        {
            ["pbdf.gemeente.personalData.fullname"] = "Marie Jansen",
            ["pbdf.gemeente.personalData.dateofbirth"] = "02-03-1990",
            ["pbdf.gemeente.personalData.bsn"] = "123456782",
            ["pbdf.sidn-pbdf.email.email"] = "marie@example.nl",
        });

        var finish = await Client.GetAsync(page.FinishUrl);
        Assert.Equal(HttpStatusCode.SeeOther, finish.StatusCode);
        Assert.Equal("https://example.org/back?x=1", finish.Headers.Location?.ToString());

        var result = Assert.Single(fixture.DeliveredTo(id));
        Assert.Equal(AuthStatus.Success, result.Status);
        Assert.Equal(new Dictionary<string, string>
        {
            ["fullname"] = "Marie Jansen",
            ["birthdate"] = "02-03-1990",
            ["bsn"] = "123456782",
            ["email"] = "marie@example.nl",
        }, result.Attributes);
    }

    [Theory]
    [InlineData("cancelled", "U heeft het delen geannuleerd")]
    [InlineData("timeout", "De tijd is verstreken")]
    [InlineData("invalid", "Uw gegevens konden niet worden gecontroleerd")]
    [InlineData("missing", "Niet alle gegevens zijn gedeeld")]
    public async Task An_unusable_outcome_delivers_a_failed_token_and_tells_the_resident_why(string outcome, string title)
    {
        var (attrUrl, id) = fixture.NewAttrUrl();
        var page = await fixture.StartAsync(["fullname", "email"], "https://example.org/back", attrUrl);
        await fixture.ScriptAsync(page, outcome, new() { ["pbdf.gemeente.personalData.fullname"] = "Marie Jansen" });

        var finish = await Client.GetAsync(page.FinishUrl);
        Assert.Equal(HttpStatusCode.OK, finish.StatusCode);
        Assert.Null(finish.Headers.Location);
        var html = await finish.Content.ReadAsStringAsync();
        Assert.Contains($"<h1>{title}</h1>", html);
        Assert.Contains("Er zijn geen gegevens doorgegeven aan Gemeente Arnhem", html);
        Assert.Contains("href=\"https://example.org/back\"", html);
        Assert.DoesNotContain("Marie Jansen", html);

        var result = Assert.Single(fixture.DeliveredTo(id));
        Assert.Equal(AuthStatus.Failed, result.Status);
        Assert.Empty(result.Attributes);
    }

    [Fact]
    public async Task A_proof_status_other_than_valid_fails_even_with_every_attribute_present()
    {
        var (attrUrl, id) = fixture.NewAttrUrl();
        var page = await fixture.StartAsync(["email"], "https://example.org/back", attrUrl);
        var scripted = await Client.PostAsJsonAsync($"/irma-fake/irma/session/{page.ClientToken}/script", new { outcome = "done", proofStatus = "EXPIRED" });
        Assert.Equal(HttpStatusCode.OK, scripted.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(page.FinishUrl)).StatusCode);
        Assert.Equal(AuthStatus.Failed, Assert.Single(fixture.DeliveredTo(id)).Status);
    }

    [Fact]
    public async Task The_cancel_button_cancels_at_the_irma_server_and_delivers_a_failed_token()
    {
        var (attrUrl, id) = fixture.NewAttrUrl();
        var page = await fixture.StartAsync(["email"], "https://example.org/back", attrUrl);
        var response = await Client.PostAsync(page.CancelUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = page.Session }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("U heeft het delen geannuleerd", await response.Content.ReadAsStringAsync());
        Assert.Equal(AuthStatus.Failed, Assert.Single(fixture.DeliveredTo(id)).Status);
        var session = fixture.FakeSessions.ByClientToken(page.ClientToken)!;
        Assert.Equal("CANCELLED", session.Status(DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task A_replayed_finish_link_delivers_nothing_a_second_time()
    {
        var (attrUrl, id) = fixture.NewAttrUrl();
        var page = await fixture.StartAsync(["email"], "https://example.org/back", attrUrl);
        await fixture.ScriptAsync(page, "done");
        Assert.Equal(HttpStatusCode.SeeOther, (await Client.GetAsync(page.FinishUrl)).StatusCode);

        var again = await Client.GetAsync(page.FinishUrl);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("Deze Yivi-sessie is al afgerond", await again.Content.ReadAsStringAsync());
        var cancel = await Client.PostAsync(page.CancelUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["s"] = page.Session }));
        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Single(fixture.DeliveredTo(id));
    }

    [Fact]
    public async Task Continuing_before_sharing_returns_to_the_qr_code_with_a_note_and_delivers_nothing()
    {
        var (attrUrl, id) = fixture.NewAttrUrl();
        var page = await fixture.StartAsync(["email"], "https://example.org/back", attrUrl);

        var early = await Client.GetAsync(page.FinishUrl);
        Assert.Equal(HttpStatusCode.SeeOther, early.StatusCode);
        var back = new Uri(new Uri(page.FinishUrl), early.Headers.Location!).ToString();
        Assert.Contains("pending=1", back);
        Assert.Contains("nog niet gedeeld", await Client.GetStringAsync(back));
        Assert.Empty(fixture.DeliveredTo(id));
    }

    [Fact]
    public async Task Status_follows_the_phone_from_initialized_to_connected_to_finished()
    {
        var page = await fixture.StartAsync(["email"], "https://example.org/back");
        async Task<JsonElement> Status() => await Client.GetFromJsonAsync<JsonElement>(page.StatusUrl);

        Assert.Equal("INITIALIZED", (await Status()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(page.ScanUrl)).StatusCode);
        var connected = await Status();
        Assert.Equal("CONNECTED", connected.GetProperty("status").GetString());
        Assert.False(connected.GetProperty("finished").GetBoolean());

        await fixture.ScriptAsync(page, "done");
        var done = await Status();
        Assert.Equal("DONE", done.GetProperty("status").GetString());
        Assert.True(done.GetProperty("finished").GetBoolean());
    }

    [Fact]
    public async Task Without_attr_url_the_result_travels_on_the_continuation_and_the_landing_page_accepts_it()
    {
        var (clientUrl, _) = await StartCommAsync();
        var page = await fixture.StartAsync(["fullname"], clientUrl);
        await fixture.ScriptAsync(page, "done", new() { ["pbdf.gemeente.personalData.fullname"] = "<script>alert(1)</script>" });

        var finish = await Client.GetAsync(page.FinishUrl);
        var location = finish.Headers.Location!.ToString();
        Assert.StartsWith(clientUrl + "?result=", location);
        var token = Uri.UnescapeDataString(location[(location.IndexOf("result=", StringComparison.Ordinal) + 7)..]);
        Assert.Equal("<script>alert(1)</script>", fixture.Open(token).Attributes["fullname"]);

        // Shown escaped where it is shown.
        var html = await Client.GetStringAsync(location);
        Assert.Contains("data-status=\"success\"", html);
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public async Task A_comm_plugin_that_refuses_gives_an_error_page_and_the_same_link_may_try_again()
    {
        var page = await fixture.StartAsync(["email"], "https://example.org/back", fixture.RecorderUrl + "/refuse/x");
        await fixture.ScriptAsync(page, "done");
        var first = await Client.GetAsync(page.FinishUrl);
        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Null(first.Headers.Location);
        Assert.Contains("Uw gegevens konden niet worden doorgegeven", await first.Content.ReadAsStringAsync());
        // Nothing was delivered, so the claim was given back: a retry is not refused as a replay.
        Assert.Equal(HttpStatusCode.BadGateway, (await Client.GetAsync(page.FinishUrl)).StatusCode);
    }

    private async Task<(string ClientUrl, string AttrUrl)> StartCommAsync()
    {
        var response = await Client.PostAsJsonAsync("/arnhem/comm-test/start_communication", new { purpose = "report_move" });
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("client_url").GetString()!, json.GetProperty("attr_url").GetString()!);
    }
}
