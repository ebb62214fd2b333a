using IdContact.Desk.Chat;
using IdContact.Desk.Retention;
using IdContact.Desk.Sessions;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

public partial class AgentAdminTests
{
    [Fact]
    public async Task The_staffing_and_appointments_pages_fetch_their_lists_again_on_a_sweeps_deletion_push_and_warn_nothing()
    {
        await using var server = await RunningServer.StartAsync("--Desk:AgentRefreshSeconds", "600");
        var staffing = await SignInNewAdmin(server, "arnhem", "veger");
        var appointments = await staffing.Context.NewPageBoundedAsync();
        // SignalR's client names a message the page has no handler for ("No client method …"), if it logs: none may show.
        var warnings = new List<string>();
        foreach (var page in new[] { staffing, appointments })
        {
            page.Console += (_, message) =>
            {
                if (message.Text.Contains("No client method", StringComparison.Ordinal))
                {
                    warnings.Add(message.Text);
                }
            };
        }

        await staffing.GotoAsync(server.BaseUrl + "/arnhem/desk/admin/staffing");
        await Assertions.Expect(staffing.Locator("#staffing-updated")).ToHaveAttributeAsync("data-live", "true");
        await appointments.GotoAsync(server.BaseUrl + "/arnhem/desk/appointments");
        await Assertions.Expect(appointments.Locator("#live-status")).ToHaveAttributeAsync("data-live", "connected");

        // A chat the resident never opened, swept as if an hour had passed: contactsChanged, then contactsDeleted.
        var chats = server.App.Services.GetRequiredService<ChatStore>();
        var (chat, _) = await chats.CreateAsync("arnhem", "report_move", CancellationToken.None);
        var retention = ActivatorUtilities.CreateInstance<RetentionService>(server.App.Services, new AheadClock(TimeSpan.FromMinutes(61)));
        Assert.True(await retention.SweepAsync(CancellationToken.None) >= 1);

        // The deletion alone (its contactsChanged lost, say) still has each page fetch its list again. Both pages fetched
        // theirs when they connected, before the test saw them live, so a fetch now is the push's.
        var staffingFetch = staffing.WaitForRequestAsync(r => r.Url.Contains("/desk/admin/staffing/list", StringComparison.Ordinal));
        var appointmentsFetch = appointments.WaitForRequestAsync(r => r.Url.Contains("/desk/appointments/list", StringComparison.Ordinal));
        await server.App.Services.GetRequiredService<DeletionPush>().DeletedAsync("arnhem", [new DeletedContact(chat.Id, Channels.Chat, null)]);
        await staffingFetch;
        await appointmentsFetch;

        Assert.Empty(warnings);
    }
}
