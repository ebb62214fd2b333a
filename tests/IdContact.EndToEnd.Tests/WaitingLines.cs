using IdContact.Desk.Chat;
using IdContact.Desk.Tenants;
using IdContact.Desk.Tests;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>A chat page's own line while it waits for the server, held there by a database that refuses to store it.</summary>
internal static class WaitingLines
{
    /// <summary>
    /// Sends <paramref name="typed"/> from <paramref name="sender"/> while the server cannot store it and asserts the waiting
    /// line reads <paramref name="shown"/> (what <see cref="ChatRules.Tidy"/> stores); <paramref name="meanwhile"/> runs
    /// before storing works again. Then every page of <paramref name="readers"/> shows the stored line exactly so.
    /// </summary>
    internal static async Task AssertShownAsStoredAsync(RunningServer server, IPage sender, string typed, string shown, IPage[] readers, Func<Task>? meanwhile = null)
    {
        Assert.Equal(shown, ChatRules.Tidy(typed));
        var databases = server.App.Services.GetRequiredService<TenantDatabases>();
        await using (await RefusingTrigger.CreateAsync(databases, "arnhem", "ChatMessages", "Kind", ChatKinds.Text))
        {
            await ChatFlowTests.Send(sender, typed);
            var pending = sender.Locator("#messages li.pending .text");
            await Assertions.Expect(pending).ToHaveCountAsync(1);
            Assert.Equal(shown, await pending.TextContentAsync());
            if (meanwhile is not null)
            {
                await meanwhile();
            }
        }

        // Found by its last word: the marks before it are what is compared.
        var lastWord = shown[(shown.LastIndexOf(' ') + 1)..];
        foreach (var page in readers)
        {
            var stored = page.Locator("#messages li[data-seq] .text", new() { HasText = lastWord });
            await Assertions.Expect(stored).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            Assert.Equal(shown, await stored.TextContentAsync());
        }
    }
}
