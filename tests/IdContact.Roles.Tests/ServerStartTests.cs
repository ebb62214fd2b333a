namespace IdContact.Roles.Tests;

public class ServerStartTests
{
    [Fact]
    public async Task Embedded_default_serves_health_and_generates_development_keys()
    {
        await using var server = await RunningServer.StartAsync();
        var response = await server.Client.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "keys", "auth-signing.pem")));
    }
}
