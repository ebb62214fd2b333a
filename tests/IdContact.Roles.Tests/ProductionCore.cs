using System.Text.Json;

namespace IdContact.Roles.Tests;

/// <summary>A core outside demo mode serving Gemeente Arnhem, with everything production needs configured.</summary>
public static class ProductionCore
{
    /// <summary>A core-only production configuration that passes every check but PublicUrl's (tests add it or not).</summary>
    public static Dictionary<string, object> Config() => new()
    {
        ["Roles"] = "core",
        ["Core"] = new { StateSecret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) },
        ["Tenants"] = new Dictionary<string, object>
        {
            ["arnhem"] = new
            {
                DisplayName = "Gemeente Arnhem",
                Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing", Attributes = new[] { "email" }, AllowedAuth = new[] { "digid" }, AllowedComm = new[] { "*" } } },
                AuthMethods = new[] { new { Tag = "digid", Name = "DigiD", ImagePath = "/static/digid.svg", Start = "https://auth.example.nl" } },
                CommMethods = new[] { new { Tag = "chat", Name = "Chat", ImagePath = "/static/chat.svg", Start = "https://chat.example.nl" } },
            },
        },
    };

    /// <summary>That configuration with a PublicUrl, running; the config file is read at start-up and then removed.</summary>
    public static async Task<RunningServer> StartAsync()
    {
        var config = Config();
        config["PublicUrl"] = "https://idcontact.example.nl";
        var dir = Directory.CreateTempSubdirectory("idcontact-prod-core-").FullName;
        var path = Path.Combine(dir, "config.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(config));
        try
        {
            return await RunningServer.StartAsync("--config", path, "--Demo", "false");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
