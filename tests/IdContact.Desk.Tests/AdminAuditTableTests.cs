using IdContact.Desk.Admin;
using IdContact.Desk.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Desk.Tests;

/// <summary>
/// The empty account-changes table names what is missing: on *Beheeracties* it sits under its own tab
/// *Accountwijzigingen*, beside reads of the access log that are administrator actions too.
/// </summary>
public sealed class AdminAuditTableTests
{
    [Theory]
    [InlineData(false, "Nog geen accountwijzigingen.")]
    [InlineData(true, "No account changes yet.")]
    public async Task No_account_changes_says_so_not_that_there_are_no_administrator_actions(bool english, string expected)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(AdminAuditTable.Id)] = "admin-audit",
                [nameof(AdminAuditTable.Kind)] = AdminAuditKind.AccountChanges,
                [nameof(AdminAuditTable.Entries)] = Array.Empty<AdminAuditRecord>(),
                [nameof(AdminAuditTable.English)] = english,
            });
            return (await renderer.RenderComponentAsync<AdminAuditTable>(parameters)).ToHtmlString();
        });

        Assert.Contains($"<p>{expected}</p>", html);
    }
}
