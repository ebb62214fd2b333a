using System.Text.Json;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>Runs axe-core (from npm, copied beside the tests) in the page and fails on any WCAG 2.0/2.1 A or AA violation.</summary>
public static class Accessibility
{
    private const string Run = """
        async () => {
          const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
          return { passes: result.passes.length, violations: result.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => JSON.stringify(n.target)) })) };
        }
        """;

    /// <param name="strictCsp">
    /// The page forbids inline script (a resident's page with a live connection that a second context would disturb):
    /// axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
    /// </param>
    public static Task AssertNoViolationsAsync(IPage page, bool strictCsp = false) => AssertNoViolationsAsync(page.MainFrame, strictCsp);

    /// <summary>The same for one frame's document (a desk page the agent workspace frames), as that frame shows it.</summary>
    public static async Task AssertNoViolationsAsync(IFrame frame, bool strictCsp = false)
    {
        var axe = Path.Combine(AppContext.BaseDirectory, "axe.min.js");
        if (strictCsp)
        {
            await frame.EvaluateAsync(await File.ReadAllTextAsync(axe));
        }
        else
        {
            await frame.AddScriptTagAsync(new() { Path = axe });
        }

        var result = await frame.EvaluateAsync<JsonElement>(Run);
        var violations = result.GetProperty("violations");
        Assert.True(violations.GetArrayLength() == 0, $"axe-core found WCAG 2.1 AA violations on {frame.Url}: {violations}");
        // A page axe could not look at would pass vacuously.
        Assert.True(result.GetProperty("passes").GetInt32() > 5, "axe-core checked almost nothing.");
    }
}
