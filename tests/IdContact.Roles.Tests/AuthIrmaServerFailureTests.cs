using IdContact.Server;
using IdContact.Auth.Irma;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Auth.Irma.Fake;
using IdContact.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdContact.Roles.Tests;

/// <summary>An IRMA server that refuses, is down, or must not see secrets in logs; and the AuthIrma configuration checks.</summary>
public class AuthIrmaServerFailureTests
{
    private static readonly object StartBody = new { attributes = new[] { "email" }, continuation = "https://example.org/back" };

    [Fact]
    public async Task A_wrong_requestor_token_is_a_502_and_leaves_no_session_at_the_irma_server()
    {
        await using var irma = await RunningServer.StartAsync();
        await using var server = await RunningServer.StartAsync(
            "--AuthIrma:ServerUrl", irma.BaseUrl + "/irma-fake", "--AuthIrma:RequestorToken", "wrong-requestor-token");

        var response = await server.Client.PostAsJsonAsync("/arnhem/auth-irma/start_authentication", StartBody);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("status 401", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, irma.App.Services.GetRequiredService<FakeSessions>().Count);
    }

    [Fact]
    public async Task An_unreachable_irma_server_is_a_502_problem_at_start_and_an_honest_page_at_finish()
    {
        await using var server = await RunningServer.StartAsync(
            "--AuthIrma:ServerUrl", "http://127.0.0.1:1", "--AuthIrma:RequestorToken", "some-token");
        var response = await server.Client.PostAsJsonAsync("/arnhem/auth-irma/start_authentication", StartBody);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("could not be reached", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_form_start_whose_Yivi_cannot_start_is_a_page_in_the_residents_language_never_a_problem_document()
    {
        await using var server = await RunningServer.StartAsync(
            "--AuthIrma:ServerUrl", "http://127.0.0.1:1", "--AuthIrma:RequestorToken", "some-token");
        foreach (var (language, purpose, status, title) in new[]
        {
            ("nl-NL", "report_move", HttpStatusCode.BadGateway, "Dit kan nu niet starten"),
            ("en-GB", "report_move", HttpStatusCode.BadGateway, "This cannot start right now"),
            ("nl-NL", "no_such_purpose", HttpStatusCode.NotFound, "Dit kan zo niet worden gestart"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/arnhem/start")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["purpose"] = purpose,
                    ["auth_method"] = "irma",
                    ["comm_method"] = "test",
                }),
            };
            request.Headers.AcceptLanguage.ParseAdd(language);
            var response = await server.Client.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains($"<h1>{title}</h1>", html, StringComparison.Ordinal);
            Assert.Contains($"<html lang=\"{language[..2]}\">", html, StringComparison.Ordinal);
        }

        // A program asking for JSON still gets the problem.
        using var json = new HttpRequestMessage(HttpMethod.Post, "/arnhem/start")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["purpose"] = "report_move", ["auth_method"] = "irma", ["comm_method"] = "test" }),
        };
        json.Headers.Accept.ParseAdd("application/json");
        Assert.Equal("application/problem+json", (await server.Client.SendAsync(json)).Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_irma_server_that_goes_down_mid_session_gives_a_retry_page_and_delivers_nothing()
    {
        var irma = await RunningServer.StartAsync();
        await using var server = await RunningServer.StartAsync(
            "--AuthIrma:ServerUrl", irma.BaseUrl + "/irma-fake", "--AuthIrma:RequestorToken", DemoConfiguration.DemoIrmaRequestorToken);
        var start = await server.Client.PostAsJsonAsync("/arnhem/auth-irma/start_authentication", StartBody);
        var pageUrl = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        var page = new IrmaFixture.IrmaPage(pageUrl, await server.Client.GetStringAsync(pageUrl));
        await irma.DisposeAsync();

        var status = await server.Client.GetAsync(page.StatusUrl);
        Assert.Equal(HttpStatusCode.BadGateway, status.StatusCode);
        var finish = await server.Client.GetAsync(page.FinishUrl);
        Assert.Equal(HttpStatusCode.BadGateway, finish.StatusCode);
        Assert.Null(finish.Headers.Location);
        Assert.Contains("Opnieuw proberen", await finish.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Attribute_values_and_the_requestor_token_never_reach_the_logs()
    {
        const string secret = "Geheimwaarde-8812";
        var logs = new CapturingLoggerProvider();
        var sink = logs.Messages;
        await using var server = await RunningServer.StartAsync(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs), "--TrustedOrigins:1", "http://127.0.0.1:1");
        var start = await server.Client.PostAsJsonAsync("/arnhem/auth-irma/start_authentication",
            new { attributes = new[] { "fullname", "bsn" }, continuation = "https://example.org/back", attr_url = "http://127.0.0.1:1/attr" });
        var pageUrl = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        var page = new IrmaFixture.IrmaPage(pageUrl, await server.Client.GetStringAsync(pageUrl));
        await server.Client.GetStringAsync(page.ScanUrl);
        await server.Client.PostAsJsonAsync($"/irma-fake/irma/session/{page.ClientToken}/script", new
        {
            outcome = "done",
            attributes = new Dictionary<string, string> { ["pbdf.gemeente.personalData.fullname"] = secret, ["pbdf.gemeente.personalData.bsn"] = secret },
        });
        await server.Client.GetAsync(page.StatusUrl);
        // The comm plugin is unreachable, so this also walks the failure paths.
        Assert.Equal(HttpStatusCode.BadGateway, (await server.Client.GetAsync(page.FinishUrl)).StatusCode);

        var requestorToken = server.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdContactOptions>>().Value.AuthIrma().RequestorToken!;
        Assert.NotEmpty(sink);
        Assert.Contains(sink, m => m.Contains("could not be reached", StringComparison.Ordinal));
        Assert.DoesNotContain(sink, m => m.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(sink, m => m.Contains(requestorToken, StringComparison.Ordinal));
    }

    [Fact]
    public void Config_validation_names_every_missing_or_wrong_auth_irma_setting()
    {
        var options = new IdContactOptions { Roles = "core,auth-irma" };
        options.Tenants["arnhem"] = new TenantOptions
        {
            DisplayName = "Gemeente Arnhem",
            Purposes = [new() { Tag = "p", Attributes = ["email", "shoe_size"], AllowedAuth = ["*"], AllowedComm = ["*"] }],
            AuthMethods = [new() { Tag = "irma", Name = "Yivi", Start = "/{tenant}/auth-irma" }],
            CommMethods = [new() { Tag = "c", Name = "C", Start = "https://comm.example" }],
        };
        var problems = ConfigValidator.Validate(options, ServerRoles.Create());
        Assert.Contains(problems, p => p.StartsWith("AuthIrma:ServerUrl is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AuthIrma:RequestorToken is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AuthIrma:Attributes is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p == "AuthIrma:SigningKey is missing; keys are generated only with \"Demo\": true.");
        Assert.Contains(problems, p => p == "AuthIrma:EncryptionKey is missing.");

        options.AuthIrma().ServerUrl = "ftp://irma";
        options.AuthIrma().TimeoutSeconds = 0;
        options.AuthIrma().Attributes["email"] = ["pbdf.pbdf.email.email", "not-an-id"];
        problems = ConfigValidator.Validate(options, ServerRoles.Create());
        Assert.Contains(problems, p => p.Contains("'ftp://irma' is not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("AuthIrma:TimeoutSeconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'not-an-id' is not an IRMA attribute id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("requests 'shoe_size'", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("requests 'email'", StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
    }

    [Fact]
    public void All_roles_include_auth_irma_only_when_an_irma_server_is_configured_but_naming_it_always_does()
    {
        static bool RunsIrma(IdContactOptions options) => RoleSet.Active(options, ServerRoles.Create(), out _).Contains("auth-irma");
        Assert.False(RunsIrma(new IdContactOptions { Roles = "all" }));
        var configured = new IdContactOptions { Roles = "all" };
        configured.AuthIrma().ServerUrl = "https://irma.example";
        Assert.True(RunsIrma(configured));
        Assert.True(RunsIrma(new IdContactOptions { Roles = "core,auth-irma" }));
    }
}
