using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using Microsoft.Extensions.Logging;

namespace IdContact.Roles.Tests;

/// <summary>Attribute values never reach the logs (X1), even at the most verbose level and on errors.</summary>
public class LogPrivacyTests
{
    private const string Secret = "Geheimwaarde-7741";

    [Fact]
    public async Task Flows_and_refusals_log_no_attribute_values_at_trace_level()
    {
        var sink = new CapturingLoggerProvider();
        // As verbose as an operator can set it, framework categories included.
        await using var server = await RunningServer.StartAsync(
            logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(sink),
            "--Logging:LogLevel:Default", "Trace", "--Logging:LogLevel:Microsoft.AspNetCore", "Trace", "--Logging:LogLevel:System.Net.Http.HttpClient", "Trace");
        var keys = Path.Combine(server.DataDirectory, "keys");
        var signer = PrivateKey.FromPem(KeyType.Rsa, File.ReadAllText(Path.Combine(keys, "auth-signing.pem")));
        var comm = PrivateKey.FromPem(KeyType.Rsa, File.ReadAllText(Path.Combine(keys, "comm-decryption.pem")));
        string Token(DateTimeOffset at) => AuthResultToken.Issue(
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = Secret, ["bsn"] = Secret }), signer, comm.PublicKey, at);

        // Desk: accepted, replayed and expired results.
        var start = await server.Client.PostAsJsonAsync("/arnhem/phone/start_communication", new { purpose = "report_move" });
        var attrUrl = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attr_url").GetString()!;
        var token = Token(DateTimeOffset.UtcNow);
        Assert.True((await server.Client.PostAsync(attrUrl, Jwt(token))).IsSuccessStatusCode);
        await server.Client.PostAsync(attrUrl, Jwt(token));
        await server.Client.PostAsync(attrUrl, Jwt(Token(DateTimeOffset.UtcNow.AddHours(-1))));

        // Comm-test: a result at start and on the landing page; core comm-only start with a result.
        var commStart = await server.Client.PostAsJsonAsync("/arnhem/comm-test/start_communication", new { purpose = "report_move", auth_result = Token(DateTimeOffset.UtcNow) });
        var landing = (await commStart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        Assert.Contains(Secret, await server.Client.GetStringAsync(landing));
        using var commOnly = new HttpRequestMessage(HttpMethod.Post, "/arnhem/start")
        {
            Content = JsonContent.Create(new { purpose = "report_move", comm_method = "test", auth_result = Token(DateTimeOffset.UtcNow) }),
        };
        commOnly.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Assert.True((await server.Client.SendAsync(commOnly)).IsSuccessStatusCode);

        // The exchange swaps the code for the session secret; that call fails to be routed, which logs too.
        var start2 = await server.Client.PostAsJsonAsync("/arnhem/phone/start_communication", new { purpose = "report_move" });
        var tel = (await start2.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        using var identify = new HttpRequestMessage(HttpMethod.Post, "/arnhem/exchange/identify")
        {
            Content = JsonContent.Create(new { code = tel.Split(",,")[1], call_id = "call-log", caller = "+31612345678" }),
        };
        identify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Hosting.DemoConfiguration.DemoExchangeKey);
        var matched = await (await server.Client.SendAsync(identify)).Content.ReadFromJsonAsync<JsonElement>();
        var sessionSecret = matched.GetProperty("session_secret").GetString()!;

        Assert.NotEmpty(sink.Messages);
        Assert.DoesNotContain(sink.Messages, m => m.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Messages, m => m.Contains(token, StringComparison.Ordinal));
        // attr_url is a capability: neither it nor its session id is written down; nor the session secret.
        var sessionId = attrUrl.Split('/').Last();
        Assert.DoesNotContain(sink.Messages, m => m.Contains(sessionId, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Messages, m => m.Contains(sessionSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Messages, m => m.Contains("+31612345678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chat_logs_neither_its_messages_nor_its_capability_nor_attributes()
    {
        var sink = new CapturingLoggerProvider();
        await using var server = await RunningServer.StartAsync(
            logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(sink),
            "--Logging:LogLevel:Default", "Trace", "--Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        var keys = Path.Combine(server.DataDirectory, "keys");
        var signer = PrivateKey.FromPem(KeyType.Rsa, File.ReadAllText(Path.Combine(keys, "auth-signing.pem")));
        var comm = PrivateKey.FromPem(KeyType.Rsa, File.ReadAllText(Path.Combine(keys, "comm-decryption.pem")));
        var token = AuthResultToken.Issue(AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = Secret }), signer, comm.PublicKey, DateTimeOffset.UtcNow);

        var start = await server.Client.PostAsJsonAsync("/arnhem/chat/start_communication", new { purpose = "report_move", auth_result = token });
        var clientUrl = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!;
        await server.Client.GetStringAsync(clientUrl);
        var sent = await server.Client.PostAsync(clientUrl + "/send", new FormUrlEncodedContent([new("text", "Mijn geheim is " + Secret), new("client_id", "log-privacy-0001")]));
        Assert.Equal(System.Net.HttpStatusCode.SeeOther, sent.StatusCode);
        await server.Client.PostAsync(clientUrl + "/send", new FormUrlEncodedContent([new("text", new string('x', 2001) + Secret), new("client_id", "log-privacy-0002")]));
        Assert.True((await server.Client.PostAsync(clientUrl + "/end", null)).IsSuccessStatusCode);

        var capability = clientUrl.Split('/').Last();
        Assert.NotEmpty(sink.Messages);
        Assert.DoesNotContain(sink.Messages, m => m.Contains(Secret, StringComparison.Ordinal));
        Assert.DoesNotContain(sink.Messages, m => m.Contains(capability, StringComparison.Ordinal));
    }

    private static StringContent Jwt(string token) => new(token, Encoding.ASCII, "application/jwt");
}
