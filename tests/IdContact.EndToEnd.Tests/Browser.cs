using IdContact.Roles.Tests;
using Microsoft.Playwright;

// One browser flow at a time: on two cores, parallel Chromiums and servers starve each other into timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace IdContact.EndToEnd.Tests;

/// <summary>One headless Chromium per test class; the Playwright browser download is not used.</summary>
public class Browser : IAsyncLifetime
{
    public static readonly string[] LaunchArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    protected virtual string[] Args => LaunchArgs;

    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = Args,
        });
    }

    public async Task DisposeAsync()
    {
        await Bounded.WithinAsync(Chromium.DisposeAsync().AsTask(), "closing Chromium");
        _playwright?.Dispose();
    }
}

/// <summary>Chromium with a fake camera and microphone that grants them without asking (video call tests).</summary>
public sealed class VideoBrowser : Browser
{
    protected override string[] Args => [.. LaunchArgs, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"];
}

/// <summary>Chromium with a fake camera and microphone but no one to grant them: a headless prompt is refused, as by a person pressing "Block".</summary>
public sealed class RefusingVideoBrowser : Browser
{
    protected override string[] Args => [.. LaunchArgs, "--use-fake-device-for-media-stream"];
}
