using System.Text.Json;
using IdContact.Desk.Tests;
using IdContact.Roles.Tests;

namespace IdContact.EndToEnd.Tests;

/// <summary>A desk (demo mode) whose municipality "ede" signs its agents in with <paramref name="provider"/>, registered there as client "desk".</summary>
public static class ProviderDesk
{
    public static async Task<RunningServer> StartAsync(TestIdentityProvider provider, string label, string? labelEn = null)
    {
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-ede-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Tenants = new Dictionary<string, object>
            {
                ["ede"] = new
                {
                    DisplayName = "Gemeente Ede",
                    Desk = new
                    {
                        SignIn = new
                        {
                            Oidc = new { provider.Authority, ClientId = "desk", ClientSecret = "geheim", Label = label, LabelEn = labelEn, BackchannelTimeoutSeconds = TestIdentityProvider.PatientSeconds },
                        },
                    },
                },
            },
        }));
        try
        {
            // Read once at start (no reload), so the file can go.
            var server = await RunningServer.StartAsync("--config", config);
            provider.Clients.Add(new("desk", "geheim", $"{server.BaseUrl}/ede/desk/oidc/callback", $"{server.BaseUrl}/ede/desk/oidc/signed-out"));
            return server;
        }
        finally
        {
            File.Delete(config);
        }
    }
}
