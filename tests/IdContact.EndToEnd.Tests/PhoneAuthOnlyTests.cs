using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using IdContact.Desk;
using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Messages;
using IdContact.Protocol.Tokens;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class PhoneFlowTests
{
    [Fact]
    public async Task After_an_auth_only_start_the_phone_page_follows_the_call_to_the_way_back_and_says_when_signing_in_failed()
    {
        await using var exchange = await FakeExchange.StartAsync();
        await using var website = await MunicipalWebsiteAsync();
        var config = await ConfigFileAsync(exchange.RouteUrl, website.Url + "/arnhem");
        await using var server = await RunningServer.StartAsync("--config", config);

        // A phone contact at the desk (the comm plugin), then the desk's auth-only start (C4) with the phone as the way on:
        // comm_url the tel: with its code, attr_url the contact's.
        var (contact, clientUrl) = await AuthOnlyPhoneStartAsync(server);

        // The resident follows the link, signs in, and lands on the page with the number and the code of that contact.
        var resident = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await resident.GotoAsync(clientUrl);
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await resident.Locator("input[name='attr:fullname']").FillAsync("Noor Visser");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Doorgaan" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/phone?t=*");
        await Assertions.Expect(resident.Locator("#number")).ToHaveTextAsync("026 377 0000");
        var code = (await resident.Locator("#code").InnerTextAsync()).Trim();
        Assert.EndsWith(",," + code, contact.ClientUrl, StringComparison.Ordinal);
        var phoneStatus = resident.GetByRole(AriaRole.Status);
        await Assertions.Expect(phoneStatus).ToHaveTextAsync("");
        var back = resident.GetByRole(AriaRole.Link, new() { Name = "Terug naar de website van Gemeente Arnhem" });
        await Assertions.Expect(back).ToBeHiddenAsync();
        await Accessibility.AssertNoViolationsAsync(resident);

        // The resident calls and types the code: the page follows without a reload and offers the way back.
        var matched = await Exchange(server, "identify", new { code, call_id = "call-auth-only" });
        Assert.Equal("matched", matched.GetProperty("result").GetString());
        await Assertions.Expect(phoneStatus).ToHaveTextAsync(
            "Uw gegevens zijn doorgegeven aan de medewerker. U kunt deze pagina sluiten.", new() { Timeout = 30_000 });
        await Assertions.Expect(back).ToBeVisibleAsync();
        await Assertions.Expect(back).ToHaveAttributeAsync("href", website.Url + "/arnhem");
        await Accessibility.AssertNoViolationsAsync(resident);

        // Another contact whose resident cancels the sign-in: the page says no details were passed on, at once, and still
        // after the call came in with the code (it used to say they were).
        (contact, clientUrl) = await AuthOnlyPhoneStartAsync(server);
        await resident.GotoAsync(clientUrl);
        await resident.WaitForPageAsync("**/arnhem/auth-test/**");
        await resident.GetByRole(AriaRole.Button, new() { Name = "Mislukken" }).ClickAsync();
        await resident.WaitForPageAsync("**/arnhem/phone?t=*");
        const string Failed = "Het inloggen is niet gelukt, dus er zijn geen gegevens doorgegeven. U kunt toch bellen met deze code; de medewerker vraagt dan wie u bent.";
        await Assertions.Expect(phoneStatus).ToHaveTextAsync(Failed, new() { Timeout = 30_000 });
        code = (await resident.Locator("#code").InnerTextAsync()).Trim();
        Assert.EndsWith(",," + code, contact.ClientUrl, StringComparison.Ordinal);
        Assert.Equal("matched", (await Exchange(server, "identify", new { code, call_id = "call-auth-only-failed" })).GetProperty("result").GetString());
        await resident.ReloadAsync();
        await Assertions.Expect(phoneStatus).ToHaveTextAsync(Failed, new() { Timeout = 30_000 });
        await Assertions.Expect(resident.Locator("#code")).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(resident);
    }

    /// <summary>A phone contact at the desk and the desk's auth-only start for it (signed with its starter key): the contact and where to sign in.</summary>
    private static async Task<(StartCommunicationResponse Contact, string ClientUrl)> AuthOnlyPhoneStartAsync(RunningServer server)
    {
        var started = await server.Client.PostAsJsonAsync("/arnhem/phone/start_communication", new StartCommunicationRequest("report_move"));
        var contact = (await started.Content.ReadFromJsonAsync<StartCommunicationResponse>())!;
        var desk = server.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value.Desk();
        var jws = AuthOnlyStartToken.Create(
            new AuthOnlyRequest("report_move", "test", contact.ClientUrl, contact.AttrUrl), PrivateKey.Load(desk.StarterKey!), desk.StarterKeyId, DateTimeOffset.UtcNow);
        using var start = new HttpRequestMessage(HttpMethod.Post, "/arnhem/start") { Content = new StringContent(jws, Encoding.ASCII, "application/jwt") };
        start.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var signIn = await server.Client.SendAsync(start);
        Assert.True(signIn.IsSuccessStatusCode, await signIn.Content.ReadAsStringAsync());
        return (contact, (await signIn.Content.ReadFromJsonAsync<ClientUrlResponse>())!.ClientUrl);
    }
}
