using System.Runtime.CompilerServices;
using IdContact.Roles.Tests;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>
/// Playwright's calls that have no timeout of their own (opening and closing pages and contexts, closing a routed WebSocket), bounded by
/// <see cref="Bounded"/> and named by the test's line. Chromium can acknowledge a page's close yet never close it when
/// the close races a navigation's commit (microsoft/playwright#42068, crbug.com/536385539): unbounded, such a close held
/// the test host until the blame collector stopped it.
/// </summary>
public static class BoundedPlaywright
{
    public static Task<IBrowserContext> NewContextBoundedAsync(this IBrowser browser, BrowserNewContextOptions? options = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Bounded.WithinAsync(browser.NewContextAsync(options), $"opening a browser context ({Where(file, line)})");

    public static Task<IPage> NewPageBoundedAsync(this IBrowser browser, BrowserNewPageOptions? options = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Bounded.WithinAsync(browser.NewPageAsync(options), $"opening a page ({Where(file, line)})");

    public static Task<IPage> NewPageBoundedAsync(this IBrowserContext context,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Bounded.WithinAsync(context.NewPageAsync(), $"opening a page ({Where(file, line)})");

    public static Task CloseBoundedAsync(this IPage page,
        [CallerArgumentExpression(nameof(page))] string name = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Bounded.WithinAsync(page.CloseAsync(), $"closing page {name} ({Where(file, line)})");

    public static Task CloseBoundedAsync(this IBrowserContext context,
        [CallerArgumentExpression(nameof(context))] string name = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Bounded.WithinAsync(context.CloseAsync(), $"closing browser context {name} ({Where(file, line)})");

    /// <summary>Closes a routed WebSocket (both sides): no timeout of its own either.</summary>
    public static Task CloseBoundedAsync(this IWebSocketRoute socket,
        [CallerArgumentExpression(nameof(socket))] string name = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Bounded.WithinAsync(socket.CloseAsync(), $"closing routed WebSocket {name} ({Where(file, line)})");

    private static string Where(string file, int line) => $"{Path.GetFileName(file)}:{line}";
}
