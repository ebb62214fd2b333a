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

public class OpenApiTests
{
    [Fact]
    public async Task The_openapi_document_describes_the_protocol_and_exchange_endpoints()
    {
        await using var server = await RunningServer.StartAsync();
        var json = System.Text.Json.JsonDocument.Parse(await server.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = json.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/{tenant}/start", paths);
        Assert.Contains("/{tenant}/session_options/{purpose}", paths);
        Assert.Contains("/{tenant}/phone/start_communication", paths);
        Assert.Contains("/{tenant}/exchange/identify", paths);
        Assert.DoesNotContain(paths, p => p.Contains("/desk", StringComparison.Ordinal));

        // Any other document name is a 404 problem that does not quote the name back (the framework's plain text did).
        var other = await server.Client.GetAsync("/openapi/%3Cscript%3Ex.json");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<script>", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
