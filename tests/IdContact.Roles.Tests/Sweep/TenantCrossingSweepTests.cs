using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace IdContact.Roles.Tests.Sweep;

/// <summary>
/// Round 6: every route behind a sign-in (pages, posts, admin, hubs and their negotiation), as routing lists it, with an
/// agent's and an administrator's cookie and antiforgery token of one municipality: at the other's path with the other's
/// live ids, and at their own path with the other's ids. Never a 2xx at the other's path, never a 5xx, and nothing of the
/// other municipality changes.
/// </summary>
public class TenantCrossingSweepTests(ITestOutputHelper output)
{
    [Fact]
    public async Task One_municipalitys_accounts_reach_nothing_of_the_other_on_any_signed_in_route_or_hub()
    {
        var log = new SweepLog();
        await using var server = await RunningServer.StartAsync(logging => logging.AddProvider(log));
        var endpoints = SweptEndpoint.All(server.App.Services).Where(e => e.Authorized && e.HasTenant).ToList();
        Assert.Contains(endpoints, e => e.Route == "/{tenant}/desk/admin/agents/{id}/role");
        Assert.Contains(endpoints, e => e.Route == "/{tenant}/desk/chat/hub/negotiate");

        var other = await OtherTenantAsync(server);
        using var agent = await SweepCaller.AgentAsync(server, Sweeper.TenantA);
        using var admin = await SweepCaller.AdminAsync(server, Sweeper.TenantA);
        using var raw = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(server.BaseUrl) };
        // The copied cookies work at home: the refusals below are the other municipality's, not those of a stranger.
        Assert.Equal(200, await StatusAsync(raw, agent, "GET", $"/{Sweeper.TenantA}/desk/contacts", null));
        var before = await SnapshotAsync(server, Sweeper.TenantB);
        log.Recording = true;

        var findings = new List<string>();
        var sent = 0;
        var statuses = new SortedDictionary<int, int>();
        foreach (var caller in new[] { agent, admin })
        {
            // Routes that end something (the sign-out) go last, so the caller's own session lasts the sweep.
            foreach (var endpoint in endpoints.OrderBy(e => e.Route.EndsWith("/logout", StringComparison.Ordinal)))
            {
                foreach (var method in endpoint.Methods)
                {
                    var atOther = endpoint.Path(p => p.Name == "tenant" ? Sweeper.TenantB : other.For(endpoint.Route, p.Name));
                    var atOwn = endpoint.Path(p => p.Name == "tenant" ? Sweeper.TenantA : other.For(endpoint.Route, p.Name));
                    var bodies = method == "GET" ? [() => null] : new Func<HttpContent?>[] { () => null, () => Form(caller, other) };
                    foreach (var body in bodies)
                    {
                        sent++;
                        var status = await StatusAsync(raw, caller, method, atOther, body());
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                        if (status is < 300 or >= 500)
                        {
                            findings.Add($"{caller.Name} {method} {atOther} → {status}");
                        }

                        // At their own path the other's ids are unknown: anything but a 5xx, and (below) nothing changes there.
                        if (endpoint.Pattern.Parameters.Count > 1 && !endpoint.Route.EndsWith("/logout", StringComparison.Ordinal))
                        {
                            sent++;
                            if (await StatusAsync(raw, caller, method, atOwn, body()) >= 500)
                            {
                                findings.Add($"{caller.Name} {method} {atOwn} → 5xx");
                            }
                        }
                    }
                }
            }
        }

        findings.AddRange(await HubsAsync(server, agent, other));
        // Still signed in at home (the sign-out went last): the refusals above were not those of a stranger.
        Assert.Equal(HttpStatusCode.OK, (await agent.Client.GetAsync($"/{Sweeper.TenantA}/desk/contacts")).StatusCode);
        log.Recording = false;
        var after = await SnapshotAsync(server, Sweeper.TenantB);
        findings.AddRange(before.Except(after).Select(row => $"{Sweeper.TenantB} changed: {row} is gone"));
        findings.AddRange(after.Except(before).Select(row => $"{Sweeper.TenantB} changed: {row} is new"));
        findings.AddRange(log.Errors.Select(e => "log: " + e));
        output.WriteLine($"{endpoints.Count} routes, {sent} requests; at the other's path: {string.Join(", ", statuses.Select(s => $"{s.Key} ×{s.Value}"))}");
        Assert.True(findings.Count == 0, string.Join("\n", findings.Take(40)));
    }

    /// <summary>The agents' hubs at their own path, called with the other municipality's chat and video ids.</summary>
    private static async Task<IEnumerable<string>> HubsAsync(RunningServer server, SweepCaller agent, OtherTenant other)
    {
        var findings = new List<string>();
        var chats = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/{Sweeper.TenantA}/desk/chat/hub", o => o.Cookies = agent.Cookies).Build();
        await using (chats.DisposedBounded())
        {
            await chats.StartAsync();
            if (await chats.InvokeAsync<bool>("Exists", other.ChatId))
            {
                findings.Add("the chat hub says the other municipality's chat exists");
            }

            if (await chats.InvokeAsync<JsonElement?>("Lines", other.ChatId, 0L) is { ValueKind: not JsonValueKind.Null } lines)
            {
                findings.Add($"the chat hub gave the other municipality's lines: {lines}");
            }

            var send = await chats.InvokeAsync<JsonElement>("Send", other.ChatId, "crossing-1", "Goedendag");
            if (!send.GetProperty("ended").GetBoolean())
            {
                findings.Add($"the chat hub took a line for the other municipality's chat: {send}");
            }
        }

        var video = new HubConnectionBuilder().WithUrl($"{server.BaseUrl}/{Sweeper.TenantA}/desk/video/hub?s={other.VideoId}", o => o.Cookies = agent.Cookies).Build();
        await using (video.DisposedBounded())
        {
            await video.StartAsync();
            try
            {
                if (await video.InvokeAsync<string?>("Media", true, true) != "ended")
                {
                    findings.Add("the video hub took the other municipality's call");
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or OperationCanceledException or HubException)
            {
                // Closed at the door: the call is not this agent's.
            }
        }

        return findings;
    }

    /// <summary>
    /// Sent with every cookie the caller holds, whatever its path: the desk's cookies are scoped to their municipality's
    /// path, so a browser would not send them to the other's, but a copied cookie goes anywhere.
    /// </summary>
    private static async Task<int> StatusAsync(HttpClient raw, SweepCaller caller, string method, string path, HttpContent? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body };
        request.Headers.Add("Cookie", string.Join("; ", caller.Cookies.GetAllCookies().Select(c => $"{c.Name}={c.Value}")));
        using var response = await raw.SendAsync(request);
        return (int)response.StatusCode;
    }

    /// <summary>A form as a page of the caller's own municipality would post it, plausible for any handler, with its antiforgery token.</summary>
    private static FormUrlEncodedContent Form(SweepCaller caller, OtherTenant other) => new(
    [
        new(caller.Antiforgery!.Value.Field, caller.Antiforgery.Value.Token),
        new("role", "admin"), new("grant", "true"), new("agentId", other.AdminId), new("extension", "301"), new("purpose", "report_move"),
        new("text", "Goedendag"), new("clientId", "crossing-1"), new("userName", "crossing"), new("displayName", "Crossing"),
        new("email", "crossing@example.nl"), new("confirm", "true"), new("available", "true"),
    ]);

    /// <summary>Live ids of tenant B: a phone call, a chat, a video session with its appointment, its administrator.</summary>
    private static async Task<OtherTenant> OtherTenantAsync(RunningServer server)
    {
        async Task<string> StartAsync(string method)
        {
            var response = await server.Client.PostAsJsonAsync($"/{Sweeper.TenantB}/{method}/start_communication", new { purpose = "report_move" });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var attrUrl = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attr_url").GetString()!;
            return new Uri(attrUrl).Segments.Last();
        }

        var phone = await StartAsync("phone");
        var chat = await StartAsync("chat");
        var video = await StartAsync("video");
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open(Sweeper.TenantB);
        var appointment = await db.Appointments.Where(a => a.SessionId == video).Select(a => a.Id).SingleAsync();
        var adminId = await db.Users.Where(u => u.UserName == "demo").Select(u => u.Id).SingleAsync();
        return new OtherTenant(phone, chat, video, appointment, adminId);
    }

    /// <summary>What a crossing could change in a municipality: its contacts, appointments, accounts, roles, lines, audit, mail.</summary>
    private static async Task<HashSet<string>> SnapshotAsync(RunningServer server, string tenant)
    {
        await using var db = server.App.Services.GetRequiredService<TenantDatabases>().Open(tenant);
        var rows = new HashSet<string>();
        rows.UnionWith((await db.Sessions.ToListAsync()).Select(s => $"session {s.Id} {s.State} {s.AgentId} {s.ResultToken is null}"));
        rows.UnionWith((await db.Appointments.ToListAsync()).Select(a => $"appointment {a.Id} {a.AgentId} {a.Start} {a.CancelledAt}"));
        rows.UnionWith((await db.Users.ToListAsync()).Select(u => $"account {u.Id} {u.SecurityStamp} {u.PasswordHash} {u.Extension} {u.DisplayName} {u.TwoFactorEnabled}"));
        rows.UnionWith((await db.UserRoles.ToListAsync()).Select(r => $"role {r.UserId} {r.RoleId}"));
        rows.UnionWith((await db.AgentPresence.ToListAsync()).Select(p => $"presence {p.AgentId} {p.Available}"));
        rows.Add($"lines {await db.ChatMessages.CountAsync()}");
        rows.Add($"audit {await db.Audit.CountAsync()} admin audit {await db.AdminAudit.CountAsync()}");
        rows.Add($"outbox {await db.Outbox.CountAsync()}");
        return rows;
    }

    private sealed record OtherTenant(string PhoneId, string ChatId, string VideoId, string AppointmentId, string AdminId)
    {
        public string For(string route, string parameter) => parameter switch
        {
            "sessionId" => VideoId,
            "id" when route.Contains("/agents/", StringComparison.Ordinal) => AdminId,
            "id" when route.Contains("/chats/", StringComparison.Ordinal) => ChatId,
            "id" when route.Contains("/appointments/", StringComparison.Ordinal) => AppointmentId,
            _ => PhoneId,
        };
    }
}
