using System.Net;
using System.Text.Json;
using IdContact.Desk.Chat;
using IdContact.Desk.Sessions;
using IdContact.Roles.Tests;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>Chat text is encrypted at rest per municipality, and read back on both sides; run once per database provider.</summary>
public abstract class ChatAtRestTests<TServer>(TServer desk)
    where TServer : DeskServer
{
    private const string Personal = "Mijn BSN is 999993653, ik woon aan de Rue de l'Église 7 😀";

    private ChatStore Chats => desk.Server.App.Services.GetRequiredService<ChatStore>();

    [Fact]
    public async Task A_message_is_stored_without_its_text_and_both_the_resident_and_the_agent_read_it()
    {
        var (clientUrl, id, agent) = await ActiveChatAsync(desk.TenantA);
        using var signedIn = agent;
        // At the limit, and the longest once encrypted: 3 UTF-8 bytes per character.
        var longest = new string('€', ChatRules.MaxLength - 2) + "😀";
        Assert.Equal(ChatRules.MaxLength, longest.Length);
        var hub = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
        await using var hubDisposal = hub.DisposedBounded();
        await hub.StartAsync();
        var sent = await hub.InvokeAsync<JsonElement>("Send", Secrets.NewId(), Personal);
        Assert.Equal(Personal, sent.GetProperty("line").GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.SeeOther, (await Send(clientUrl, longest, Secrets.NewId())).StatusCode);

        // The row holds ciphertext only: read the column itself.
        await using (var db = desk.Databases.Open(desk.TenantA))
        {
            var stored = await db.Database.SqlQuery<string>($"SELECT \"Text\" AS \"Value\" FROM \"ChatMessages\" WHERE \"SessionId\" = {id} AND \"Kind\" = 'text'").ToListAsync();
            Assert.Equal(2, stored.Count);
            Assert.All(stored, s => Assert.StartsWith(ChatTextProtector.Prefix, s));
            Assert.All(stored, s => Assert.DoesNotContain("999993653", s));
            Assert.All(stored, s => Assert.DoesNotContain("Église", s));
            Assert.All(stored, s => Assert.DoesNotContain("€€€", s));
        }

        // The resident's hub (what a reconnecting page asks), the resident's page and the agent's page show the text.
        var lines = await hub.InvokeAsync<JsonElement>("Lines", 0L);
        var texts = lines.EnumerateArray().Where(l => l.GetProperty("kind").GetString() == ChatKinds.Text).Select(l => l.GetProperty("text").GetString()).ToList();
        Assert.Equal([Personal, longest], texts);
        var residentPage = WebUtility.HtmlDecode(await desk.Server.Client.GetStringAsync(clientUrl));
        Assert.Contains(Personal, residentPage);
        Assert.Contains(longest, residentPage);
        var agentPage = await agent.GetAsync($"/desk/chats/{id}");
        Assert.Equal(HttpStatusCode.OK, agentPage.StatusCode);
        var agentHtml = WebUtility.HtmlDecode(await agentPage.Content.ReadAsStringAsync());
        Assert.Contains(Personal, agentHtml);
        Assert.Contains(longest, agentHtml);

        // A resend after a dropped connection is still stored once, and answered with the text.
        var clientId = Secrets.NewId();
        Assert.Equal(HttpStatusCode.SeeOther, (await Send(clientUrl, "Nog één vraag", clientId)).StatusCode);
        var again = await hub.InvokeAsync<JsonElement>("Send", clientId, "Nog één vraag");
        Assert.Equal("Nog één vraag", again.GetProperty("line").GetProperty("text").GetString());
        Assert.Single(await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None), l => l.Text == "Nog één vraag");
    }

    [Fact]
    public async Task A_plain_text_line_written_by_the_previous_version_is_shown_as_it_is()
    {
        var (clientUrl, id, agent) = await ActiveChatAsync(desk.TenantA);
        using var signedIn = agent;
        await InsertAsync(desk.TenantA, id, "Geschreven vóór de versleuteling 😀");

        Assert.Contains(await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None), l => l.Kind == ChatKinds.Text && l.Text == "Geschreven vóór de versleuteling 😀");
        Assert.Contains("Geschreven vóór de versleuteling 😀", WebUtility.HtmlDecode(await desk.Server.Client.GetStringAsync(clientUrl)));
        Assert.Contains("Geschreven vóór de versleuteling 😀", WebUtility.HtmlDecode(await (await agent.GetAsync($"/desk/chats/{id}")).Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_line_of_another_municipality_or_corrupted_shows_a_placeholder_without_an_error_or_its_text_in_the_log()
    {
        var (clientUrl, id, agent) = await ActiveChatAsync(desk.TenantA);
        using var signedIn = agent;
        var provider = desk.Server.App.Services.GetRequiredService<IDataProtectionProvider>();
        var ofB = provider.CreateProtector("IdContact.Desk.ChatText", desk.TenantB).Protect(Personal);
        var ofA = provider.CreateProtector("IdContact.Desk.ChatText", desk.TenantA).Protect("Geknoeid bericht");
        await InsertAsync(desk.TenantA, id, ChatTextProtector.Prefix + ofB);
        await InsertAsync(desk.TenantA, id, ChatTextProtector.Prefix + ofA[..^6] + (ofA[^6..] == "AAAAAA" ? "BBBBBB" : "AAAAAA"));
        await InsertAsync(desk.TenantA, id, ChatTextProtector.Prefix + "geen-geldige-ciphertext!");
        await InsertAsync(desk.TenantA, id, "Dit bericht is wel leesbaar");

        var lines = await Chats.LinesAsync(desk.TenantA, id, 0, CancellationToken.None);
        Assert.Equal(3, lines.Count(l => l.Kind == ChatKinds.Unreadable && l.Text == ""));
        Assert.Contains(lines, l => l.Text == "Dit bericht is wel leesbaar");

        var residentPage = await desk.Server.Client.GetAsync(clientUrl);
        Assert.Equal(HttpStatusCode.OK, residentPage.StatusCode);
        var residentHtml = WebUtility.HtmlDecode(await residentPage.Content.ReadAsStringAsync());
        Assert.Equal(3, residentHtml.Split("[bericht niet leesbaar]").Length - 1);
        Assert.Contains("Dit bericht is wel leesbaar", residentHtml);
        Assert.DoesNotContain("999993653", residentHtml);
        var agentPage = await agent.GetAsync($"/desk/chats/{id}");
        Assert.Equal(HttpStatusCode.OK, agentPage.StatusCode);
        Assert.Contains("[bericht niet leesbaar]", WebUtility.HtmlDecode(await agentPage.Content.ReadAsStringAsync()));
        {
            var hub = new HubConnectionBuilder().WithUrl($"{desk.Server.BaseUrl}/{desk.TenantA}/chat/hub?c={clientUrl.Split('/').Last()}").Build();
            await using var hubDisposal = hub.DisposedBounded();
            await hub.StartAsync();
            var viaHub = await hub.InvokeAsync<JsonElement>("Lines", 0L);
            Assert.Equal(3, viaHub.EnumerateArray().Count(l => l.GetProperty("kind").GetString() == ChatKinds.Unreadable));
        }

        // Each unreadable line is named by tenant and number; never by the session, whose id is also the attr_url's. Read
        // four times above (store, both pages, hub), each is warned about once.
        var unreadable = lines.Where(l => l.Kind == ChatKinds.Unreadable).Select(l => l.Seq).ToList();
        var warnings = desk.Logs.Messages.Where(m => m.Contains("cannot be decrypted", StringComparison.Ordinal)).ToList();
        Assert.All(unreadable, sequence => Assert.Single(warnings, m => m.Contains($"Tenant {desk.TenantA}: chat line {sequence} ", StringComparison.Ordinal)));
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains("999993653", StringComparison.Ordinal) || m.Contains("Geknoeid", StringComparison.Ordinal));
        Assert.DoesNotContain(desk.Logs.Messages, m => m.Contains(ofB[..40], StringComparison.Ordinal) || m.Contains("geen-geldige", StringComparison.Ordinal));
    }

    /// <summary>A chat an agent of <paramref name="tenant"/> holds: the resident's page URL, the chat id and the agent, signed in.</summary>
    private async Task<(string ClientUrl, string Id, DeskAgent Agent)> ActiveChatAsync(string tenant)
    {
        var name = "rest-" + Guid.NewGuid().ToString("N")[..6];
        await DeskAgent.CreateAsync(desk.Databases, tenant, name);
        var (clientUrl, id) = await desk.ChatTakenByAsync(tenant, (await DeskAgent.FindAsync(desk.Databases, tenant, name))!);
        var agent = DeskAgent.For(desk, tenant);
        await agent.SignInAsync(name);
        return (clientUrl, id, agent);
    }

    /// <summary>A resident line written straight into the table, as another version (or a tampering hand) would.</summary>
    private async Task InsertAsync(string tenant, string id, string storedText)
    {
        await using var db = desk.Databases.Open(tenant);
        db.ChatMessages.Add(new ChatMessage { SessionId = id, ClientId = Secrets.NewId(), Sender = "resident", Kind = ChatKinds.Text, Text = storedText, At = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    private Task<HttpResponseMessage> Send(string clientUrl, string text, string clientId) =>
        desk.Server.Client.PostAsync(clientUrl + "/send", new FormUrlEncodedContent([new("text", text), new("client_id", clientId)]));
}

public sealed class SqliteChatAtRestTests(SqliteDeskServer desk) : ChatAtRestTests<SqliteDeskServer>(desk), IClassFixture<SqliteDeskServer>;

public sealed class PostgresChatAtRestTests(PostgresDeskServer desk) : ChatAtRestTests<PostgresDeskServer>(desk), IClassFixture<PostgresDeskServer>;
