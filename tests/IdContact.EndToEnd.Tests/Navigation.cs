using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Microsoft.Playwright.Helpers;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Waiting for a page to arrive at a URL, in place of Playwright's <c>WaitForURLAsync</c>. That one checks the URL and
/// load state on the test's thread and only then subscribes to the events the transport's thread delivers, so an event
/// that arrives in between is lost and the wait runs into its timeout (microsoft/playwright-dotnet#3364; CI, 2026-11-28:
/// the Utrecht test sign-in page "loaded", yet the wait for <c>load</c> logged only the later networkidle). Both steps
/// here are checked in the browser's driver, which sees every event.
/// </summary>
public static class Navigation
{
    /// <summary>As long as a navigation may take: Playwright's own default for <c>WaitForURLAsync</c>.</summary>
    private const float NavigationTimeout = 30_000;

    /// <summary>The page is at a URL that matches the glob (Playwright's glob syntax, as <c>WaitForURLAsync</c>) and has loaded.</summary>
    public static Task WaitForPageAsync(this IPage page, string glob, float? timeout = null) =>
        page.WaitForPageAsync(new Regex(URLMatch.GlobToRegexPattern(glob)!), timeout);

    /// <summary>The page is at a URL that matches the pattern and has loaded (its <c>load</c> event, as <c>WaitForURLAsync</c>).</summary>
    public static async Task WaitForPageAsync(this IPage page, Regex url, float? timeout = null)
    {
        await page.WaitForUrlCommittedAsync(url, timeout);
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new() { Timeout = timeout ?? NavigationTimeout });
    }

    /// <summary>The page has committed to a URL that matches the glob; what it shows is for auto-retrying expectations.</summary>
    public static Task WaitForUrlCommittedAsync(this IPage page, string glob, float? timeout = null) =>
        page.WaitForUrlCommittedAsync(new Regex(URLMatch.GlobToRegexPattern(glob)!), timeout);

    /// <summary>The page has committed to a URL that matches the pattern; what it shows is for auto-retrying expectations.</summary>
    public static Task WaitForUrlCommittedAsync(this IPage page, Regex url, float? timeout = null) =>
        Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = timeout ?? NavigationTimeout });

    /// <summary>
    /// The page's live updates arrive: its hub answered <c>Joined</c>, so the server has put it in its group, and the page
    /// set <c>data-live="connected"</c>. A push sent before that is lost (only the fetch on connecting would show it).
    /// </summary>
    public static Task WaitForLiveAsync(this IPage page, float? timeout = null) =>
        Assertions.Expect(page.Locator("#live-status[data-live='connected']")).ToHaveCountAsync(1, new() { Timeout = timeout ?? NavigationTimeout });
}
