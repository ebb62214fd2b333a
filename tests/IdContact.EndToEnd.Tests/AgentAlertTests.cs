using System.Text.Json;
using IdContact.Desk.Chat;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Desktop notifications and the sound of a new contact (desk-alerts.js): only when switched on in this browser (Mijn
/// account) and only while the desk is out of view; the real Notification constructor and Web Audio are watched.
/// </summary>
public class AgentAlertTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task A_caller_and_a_chat_arriving_while_the_overview_is_out_of_view_notify_and_chime_naming_no_resident_data()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "melding", "Mel", browser.Chromium, setUp: c => AlertRecorder.RecordAsync(c, server.BaseUrl));

        // Both switches on, on Mijn account, as an agent would: the permission is granted, so the page says they are on.
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/account");
        await agent.GetByRole(AriaRole.Switch, new() { Name = "Meldingen op het bureaublad" }).CheckAsync();
        await Assertions.Expect(agent.Locator("#alert-notify-state")).ToHaveTextAsync("Meldingen staan aan in deze browser.");
        await agent.GetByRole(AriaRole.Switch, new() { Name = "Geluid bij een nieuw contact" }).CheckAsync();
        // Turning the sound on plays it once, to hear it.
        await agent.WaitForFunctionAsync("() => window.__alerts.tones > 0", null, AlertRecorder.Polling);
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk");
        await agent.WaitForLiveAsync();
        await AlertRecorder.OutOfViewAsync(agent);

        var caller = await (await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" })).NewPageBoundedAsync();
        await ReflowTests.PhoneInAsync(server, caller, "melding-1");
        await Assertions.Expect(agent.Locator("article.contact[data-alert='call']")).ToHaveCountAsync(1);
        var call = await AlertRecorder.WaitForNotificationAsync(agent, 1);
        Assert.Equal(("Nieuwe beller in de wachtrij", "Telefoon · Gemeente Arnhem", "idcontact:arnhem:call"), call);
        Assert.True(await AlertRecorder.TonesAsync(agent) > 0, "No tone started for the caller.");

        var chats = server.App.Services.GetRequiredService<ChatStore>();
        var (chat, _) = await chats.CreateAsync("arnhem", "report_move", CancellationToken.None);
        await server.App.Services.GetRequiredService<ChatFlow>().ArriveAsync("arnhem", chat, CancellationToken.None);
        Assert.Equal(("Nieuwe chat in de wachtrij", "Chat · Gemeente Arnhem", "idcontact:arnhem:chat"), await AlertRecorder.WaitForNotificationAsync(agent, 2));

        // Nothing of the resident: not the name typed at the sign-in, nor any other value shown in the card.
        var everything = await agent.EvaluateAsync<string>("JSON.stringify(window.__alerts.notifications)");
        var values = await agent.Locator("#contacts td.attr").AllTextContentsAsync();
        Assert.NotEmpty(values);
        Assert.All(values.Append(ReflowTests.LongName), value => Assert.DoesNotContain(value.Trim(), everything, StringComparison.OrdinalIgnoreCase));

        // A click on the caller's notification brings the agent to that caller's card.
        await ClickAsync(agent, 0);
        await Assertions.Expect(agent.Locator("article.contact[data-alert='call']")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task In_view_or_switched_off_an_arrival_neither_notifies_nor_chimes()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "stil", "Stil", browser.Chromium, setUp: c => AlertRecorder.RecordAsync(c, server.BaseUrl));
        await AlertRecorder.SwitchAsync(agent, on: true);
        await agent.ReloadAsync();
        await agent.WaitForLiveAsync();
        var flow = server.App.Services.GetRequiredService<ChatFlow>();
        var chats = server.App.Services.GetRequiredService<ChatStore>();
        async Task ArriveAsync(int count)
        {
            var (chat, _) = await chats.CreateAsync("arnhem", "report_move", CancellationToken.None);
            await flow.ArriveAsync("arnhem", chat, CancellationToken.None);
            await Assertions.Expect(agent.Locator("article.contact[data-alert='chat']")).ToHaveCountAsync(count);
        }

        // In view: the agent sees the list change; no notification, no sound.
        await ArriveAsync(1);
        // Out of view with both switches off: nothing either.
        var front = await AlertRecorder.OutOfViewAsync(agent);
        await AlertRecorder.SwitchAsync(agent, on: false);
        await ArriveAsync(2);
        Assert.Equal(0, await agent.EvaluateAsync<int>("window.__alerts.notifications.length"));
        Assert.Equal(0, await AlertRecorder.TonesAsync(agent));

        // The same page, switched on again, does tell the next one: the silence above was the rule, not a broken page.
        // It counts the chats since the agent last looked (the one while switched off too), in one notification.
        await AlertRecorder.SwitchAsync(agent, on: true);
        await ArriveAsync(3);
        Assert.Equal(("2 nieuwe chats in de wachtrij", "idcontact:arnhem:chat"), await AlertRecorder.WaitForNotificationAsync(agent, 1) is var (title, _, tag) ? (title, tag) : default);
        await front.CloseBoundedAsync();
    }

    [Fact]
    public async Task A_residents_message_in_a_held_chat_notifies_in_the_desk_language_without_its_text()
    {
        await using var server = await RunningServer.StartAsync();
        var (agent, resident) = await ChatFlowTests.ChattingAsync(server, browser.Chromium, "bericht", "Bert", c => AlertRecorder.RecordAsync(c, server.BaseUrl));
        await AlertRecorder.SwitchAsync(agent, on: true);
        await agent.GotoAsync(agent.Url.Split('?')[0] + "?lang=en");
        await Assertions.Expect(agent.Locator("h1")).ToContainTextAsync("Chat");
        await AlertRecorder.OutOfViewAsync(agent);

        await ChatFlowTests.Send(resident, "Mijn geheime vraag over de verhuizing");
        await Assertions.Expect(agent.Locator("#messages li", new() { HasText = "Mijn geheime vraag" })).ToHaveCountAsync(1);
        Assert.Equal(("New message from a resident", "Chat · Gemeente Arnhem", "idcontact:arnhem:message"), await AlertRecorder.WaitForNotificationAsync(agent, 1));
        Assert.DoesNotContain("geheime", await agent.EvaluateAsync<string>("JSON.stringify(window.__alerts.notifications)"), StringComparison.Ordinal);
        Assert.True(await AlertRecorder.TonesAsync(agent) > 0, "No tone started for the message.");

        // The click comes back to the message box.
        await ClickAsync(agent, 0);
        await Assertions.Expect(agent.Locator("#message")).ToBeFocusedAsync();
    }

    /// <summary>The agent clicks the notification: its handler runs, and the browser brings the desk's window to the front.</summary>
    private static async Task ClickAsync(IPage page, int index)
    {
        await page.EvaluateAsync("i => window.__alerts.shown[i].onclick()", index);
        await page.BringToFrontAsync();
    }

    [Fact]
    public async Task The_settings_ask_permission_only_from_the_switch_say_when_the_browser_blocks_it_and_need_script()
    {
        await using var server = await RunningServer.StartAsync();
        // No permission granted: headless Chromium answers the request as a person pressing "Block".
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "blok", "Blok", browser.Chromium, setUp: c => AlertRecorder.RecordAsync(c, server.BaseUrl, grant: false));
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/account");
        await Assertions.Expect(agent.Locator("#alerts-noscript")).ToHaveCountAsync(0);
        await Accessibility.AssertNoViolationsAsync(agent);
        Assert.Equal(0, await agent.EvaluateAsync<int>("window.__alerts.asked"));
        var notify = agent.GetByRole(AriaRole.Switch, new() { Name = "Meldingen op het bureaublad" });
        await notify.ClickAsync();
        await Assertions.Expect(agent.Locator("#alert-notify-state")).ToContainTextAsync("Uw browser blokkeert meldingen van deze site.");
        await Assertions.Expect(notify).Not.ToBeCheckedAsync();
        Assert.Equal(1, await agent.EvaluateAsync<int>("window.__alerts.asked"));
        Assert.Null(await agent.EvaluateAsync<string?>("localStorage.getItem('idcontact-alerts-notify')"));

        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk/account?lang=en");
        await Assertions.Expect(agent.GetByRole(AriaRole.Switch, new() { Name = "Sound on a new contact" })).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);

        // Without script the page still works and the panel says what it needs.
        var noScript = await browser.Chromium.NewContextBoundedAsync(new() { JavaScriptEnabled = false, Locale = "nl-NL" });
        await noScript.AddCookiesAsync((await agent.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = c.Domain,
            Path = c.Path,
            Expires = c.Expires,
            HttpOnly = c.HttpOnly,
            Secure = c.Secure,
            SameSite = c.SameSite,
        }));
        var plain = await noScript.NewPageBoundedAsync();
        await plain.GotoAsync(server.BaseUrl + "/arnhem/desk/account?lang=nl");
        await Assertions.Expect(plain.Locator("#alerts-noscript")).ToHaveTextAsync("Voor deze instellingen is JavaScript nodig; dat staat in deze browser uit.");
        await Assertions.Expect(plain.GetByRole(AriaRole.Switch)).ToHaveCountAsync(0);
        await noScript.CloseBoundedAsync();
    }

    [Fact]
    public async Task The_overview_says_the_alerts_exist_until_the_agent_hides_the_tip()
    {
        await using var server = await RunningServer.StartAsync();
        var agent = await ChatFlowTests.SignedInAvailableAgentAsync(server, "tip", "Tip", browser.Chromium);
        var tip = agent.Locator("#alerts-hint");
        await Assertions.Expect(tip).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);
        await tip.GetByRole(AriaRole.Link, new() { Name = "Aanzetten bij Mijn account" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#alerts-h")).ToHaveTextAsync("Meldingen en geluid");
        await agent.GotoAsync(server.BaseUrl + "/arnhem/desk?lang=en");
        await Assertions.Expect(tip).ToBeVisibleAsync();
        await Accessibility.AssertNoViolationsAsync(agent);

        await tip.GetByRole(AriaRole.Button, new() { Name = "Hide this tip" }).ClickAsync();
        await Assertions.Expect(tip).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator("h1")).ToBeFocusedAsync();
        await agent.ReloadAsync();
        await agent.WaitForLiveAsync();
        await Assertions.Expect(tip).ToBeHiddenAsync();
    }
}

/// <summary>Watches the page's alerts: the Notification constructor (calling the real one) and Web Audio oscillators.</summary>
internal static class AlertRecorder
{
    private const string Script = """
        (() => {
          const alerts = window.__alerts = { notifications: [], shown: [], tones: 0, asked: 0 };
          const Real = window.Notification;
          if (Real) {
            const Recording = function (title, options) {
              alerts.notifications.push({ title, body: options && options.body, tag: options && options.tag });
              const shown = new Real(title, options);
              alerts.shown.push(shown);
              return shown;
            };
            Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
            Recording.requestPermission = (...args) => { alerts.asked++; return Real.requestPermission(...args); };
            window.Notification = Recording;
          }
          const start = OscillatorNode.prototype.start;
          OscillatorNode.prototype.start = function (...args) { alerts.tones++; return start.apply(this, args); };
        })();
        """;

    /// <summary>By time, not by animation frame: a page out of view may paint seldom.</summary>
    public static readonly PageWaitForFunctionOptions Polling = new() { PollingInterval = 100 };

    public static async Task RecordAsync(IBrowserContext context, string origin, bool grant = true)
    {
        if (grant)
        {
            await context.GrantPermissionsAsync(["notifications"], new() { Origin = origin });
        }

        await context.AddInitScriptAsync(Script);
    }

    /// <summary>Both switches as stored in this browser (what Mijn account writes).</summary>
    public static Task SwitchAsync(IPage page, bool on) => page.EvaluateAsync(on
        ? "localStorage.setItem('idcontact-alerts-notify', 'on'); localStorage.setItem('idcontact-alerts-sound', 'on')"
        : "localStorage.removeItem('idcontact-alerts-notify'); localStorage.removeItem('idcontact-alerts-sound')");

    /// <summary>
    /// Another page in front: Playwright makes every page think it has the focus (focus emulation); without it the page
    /// behind loses the focus, as the desk does behind the phone client (visibilityState stays "visible" headless).
    /// </summary>
    public static async Task<IPage> OutOfViewAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Emulation.setFocusEmulationEnabled", new Dictionary<string, object> { ["enabled"] = false });
        var front = await page.Context.NewPageBoundedAsync();
        await front.BringToFrontAsync();
        await page.WaitForFunctionAsync("() => !document.hasFocus()", null, Polling);
        return front;
    }

    public static Task<int> TonesAsync(IPage page) => page.EvaluateAsync<int>("window.__alerts.tones");

    /// <summary>The <paramref name="count"/>th notification shown (1-based), once there is one.</summary>
    public static async Task<(string Title, string Body, string Tag)> WaitForNotificationAsync(IPage page, int count)
    {
        await page.WaitForFunctionAsync("n => window.__alerts.notifications.length >= n", count, Polling);
        var shown = await page.EvaluateAsync<JsonElement>($"window.__alerts.notifications[{count - 1}]");
        return (shown.GetProperty("title").GetString()!, shown.GetProperty("body").GetString()!, shown.GetProperty("tag").GetString()!);
    }
}
