using Microsoft.Playwright;

// One browser flow at a time: on two cores, parallel Chromiums and servers starve each other into timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace IdContact.EndToEnd.Tests;

/// <summary>One headless Chromium per test class; the Playwright browser download is not used.</summary>
public sealed class Browser : IAsyncLifetime
{
    public static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = LaunchArgs,
        });
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }
}
