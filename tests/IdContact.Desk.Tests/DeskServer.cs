using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Desk.Exchange;
using IdContact.Desk.Tenants;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using IdContact.Roles.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdContact.Desk.Tests;

/// <summary>A real server running the desk for two municipalities on SQLite or PostgreSQL.</summary>
public abstract class DeskServer : IAsyncLifetime
{
    public const string KeyA = "exchange-key-of-tenant-a-0123456789";
    public const string KeyB = "exchange-key-of-tenant-b-0123456789";
    public const string KeyC = "exchange-key-of-tenant-c-0123456789";

    /// <summary>coturn's static-auth-secret as the test desk knows it.</summary>
    public const string TurnSecret = "turn-secret-of-the-test-desk-0123";

    /// <summary>Signalling messages one side of a call may send per minute.</summary>
    public const int SignalsPerMinute = 20;

    /// <summary>Tenant C's tenant-wide alert threshold, low so a test passes it quickly.</summary>
    public const int AlertPerMinuteC = 5;

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private string _config = "";
    private TestPostgres? _postgres;

    protected abstract string Provider { get; }

    /// <summary>Desk:HubRecheckSeconds: the longest allowed, so the periodic re-check stays out of the tests that call it.</summary>
    protected virtual int HubRecheckSeconds => 300;

    public RunningServer Server { get; private set; } = null!;

    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>The core the desk asks for sign-in methods and auth-only starts (identification during a contact).</summary>
    public FakeCore Core { get; private set; } = null!;

    public string TenantA => "a" + _suffix;

    public string TenantB => "b" + _suffix;

    /// <summary>Only the guessing tests use C, so its per-caller counts (default limit 10) are theirs alone.</summary>
    public string TenantC => "c" + _suffix;

    /// <summary>A municipality with its own decryption key.</summary>
    public string TenantD => "d" + _suffix;

    public const string KeyD = "exchange-key-of-tenant-d-0123456789";

    /// <summary>The shared decryption key of tenants A, B and C.</summary>
    public PrivateKey DeskKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    public PrivateKey TenantDKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    /// <summary>Tenant D's key before its key change (EC, the current one RSA): listed under PreviousDecryptionKeys.</summary>
    public PrivateKey TenantDRetiredKey { get; } = PrivateKey.Generate(KeyType.Ec);

    /// <summary>A production auth plugin's key, trusted under the name "Yivi".</summary>
    public PrivateKey YiviKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    /// <summary>The test sign-in's key, trusted but marked as a test key.</summary>
    public PrivateKey TestKey { get; } = PrivateKey.Generate(KeyType.Rsa);

    public TenantDatabases Databases => Server.App.Services.GetRequiredService<TenantDatabases>();

    /// <summary>The server's keyed hashes of identifiers (counter and cap keys).</summary>
    public Sessions.IdentifierHashes Hashes => Server.App.Services.GetRequiredService<Sessions.IdentifierHashes>();

    /// <summary>The server's protector of appointments' e-mail addresses at rest.</summary>
    public Video.AppointmentEmailProtector Emails => Server.App.Services.GetRequiredService<Video.AppointmentEmailProtector>();

    /// <summary>The appointments of <paramref name="tenant"/> whose stored address, opened, is <paramref name="email"/>; rows as stored (ciphertext, or clear from before).</summary>
    public async Task<List<Video.Appointment>> AppointmentsOfAsync(string tenant, string email)
    {
        await using var db = Databases.Open(tenant);
        // Booked or planned ones: a stand-in (AppointmentStore.IsStandIn) keeps an address but is no appointment.
        var rows = await db.Appointments.AsNoTracking().Where(a => a.Email != null && a.Start != null).ToListAsync();
        return rows.Where(a => Emails.Reveal(tenant, a.Id, a.Email) == email).ToList();
    }

    /// <summary>The server's retention service, on another clock.</summary>
    public Retention.RetentionService Retention(TimeProvider time) => ActivatorUtilities.CreateInstance<Retention.RetentionService>(Server.App.Services, time);

    /// <summary>The server's chat store, on another clock.</summary>
    public Chat.ChatStore Chats(TimeProvider time) => ActivatorUtilities.CreateInstance<Chat.ChatStore>(Server.App.Services, time);

    /// <summary>The server's agent overview query, on another clock.</summary>
    public Agents.ContactsQuery Contacts(TimeProvider time) => ActivatorUtilities.CreateInstance<Agents.ContactsQuery>(Server.App.Services, time);

    /// <summary>The server's call identification, on another clock.</summary>
    public CallIdentification Calls(TimeProvider time) => ActivatorUtilities.CreateInstance<CallIdentification>(Server.App.Services, time);

    public static string SmtpHost => Environment.GetEnvironmentVariable("IDCONTACT_TEST_SMTP_HOST")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_SMTP_HOST is not set: run the tests with scripts/test.sh, which starts smtp4dev.");

    public static int SmtpPort => int.Parse(Environment.GetEnvironmentVariable("IDCONTACT_TEST_SMTP_PORT") ?? "2525", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>smtp4dev's HTTP API, where tests read what arrived.</summary>
    public static string SmtpApi => Environment.GetEnvironmentVariable("IDCONTACT_TEST_SMTP_API")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_SMTP_API is not set: run the tests with scripts/test.sh, which starts smtp4dev.");

    /// <summary>The server's appointment store, on another clock.</summary>
    public Video.AppointmentStore Appointments(TimeProvider time) => ActivatorUtilities.CreateInstance<Video.AppointmentStore>(Server.App.Services, time);

    public Video.AppointmentList AppointmentList(TimeProvider time) => ActivatorUtilities.CreateInstance<Video.AppointmentList>(Server.App.Services, time);

    /// <summary>The server's appointment cancelling on another clock, optionally with another outbox.</summary>
    public Video.AppointmentCancellation Cancellation(TimeProvider time, Video.MailOutbox? outbox = null) =>
        ActivatorUtilities.CreateInstance<Video.AppointmentCancellation>(
            Server.App.Services, [Appointments(time), outbox ?? Server.App.Services.GetRequiredService<Video.MailOutbox>(), time]);

    public static string Postgres => TestPostgres.ConnectionString;

    public async Task InitializeAsync()
    {
        _config = Path.Combine(Path.GetTempPath(), $"idcontact-desk-{_suffix}.json");
        _postgres = Provider == "Postgres" ? new TestPostgres(TenantA, TenantB, TenantC, TenantD) : null;
        Core = await FakeCore.StartAsync();
        await File.WriteAllTextAsync(_config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Metrics = new { Enabled = true },
            Desk = new
            {
                DatabaseProvider = Provider,
                PostgresConnectionString = Provider == "Postgres" ? Postgres : null,
                InstallationDatabase = _postgres?.InstallationDatabase,
                DecryptionKey = DeskKey.ToConfig(),
                CoreUrl = Core.BaseUrl,
                Mail = new { Host = SmtpHost, Port = SmtpPort, StartTls = false, From = "Gemeente Test <noreply@gemeente.example>" },
                // Video calls: a STUN and a TURN server with a secret, and a signalling limit a test reaches quickly.
                // Fixtures hold chats across tests, for minutes, with no page renewing: the background sweep must not
                // hand them back. The hand-back test runs the sweep itself, on its own clock.
                Chat = new { HandBackAfterMinutes = 0 },
                // The hub re-check runs when a test calls it (AgentHubConnections.RecheckAsync), not on its own meanwhile.
                HubRecheckSeconds,
                Video = new { StunUrls = new[] { "stun:stun.example.nl:3478" }, TurnUrls = new[] { "turn:turn.example.nl:3478?transport=udp" }, TurnSecret = TurnSecret, SignalsPerMinute = SignalsPerMinute },
                VerificationKeys = new[]
                {
                    new { Type = "RSA", Key = YiviKey.PublicKey.ToPem(), Name = "Yivi", Test = false },
                    new { Type = "RSA", Key = TestKey.PublicKey.ToPem(), Name = "Testinlog", Test = true },
                },
            },
            Tenants = new Dictionary<string, object>
            {
                // The older tests send no caller, so they share A's withheld-number count: room for all of them.
                [TenantA] = Tenant(KeyA, "+31201111111", wrongCodesPerCaller: 1000, wrongWebCodes: 1000, website: WebsiteA),
                // B: the per-address web code limit is reached quickly (WebCodeTests alone type web codes there).
                [TenantB] = Tenant(KeyB, "+31202222222", wrongWebCodes: WrongWebCodesB),
                [TenantC] = Tenant(KeyC, "+31203333333", alertPerMinute: AlertPerMinuteC),
                // D: the per-address budget of wrong sign-ins is reached quickly (SignInBudgetTests, each from addresses of its own).
                [TenantD] = Tenant(KeyD, "+31204444444", decryptionKey: TenantDKey, retiredKey: TenantDRetiredKey, maxLiveWebCodes: MaxLiveWebCodesD, wrongSignIns: WrongSignInsD, bookingsPerAddress: BookingsPerAddressD, dtmfLength: DtmfLengthD),
            },
        }));
        Server = await RunningServer.StartAsync(logging => logging.AddProvider(Logs), "--config", _config);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Core.DisposeAsync();
        File.Delete(_config);
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    /// <summary>Starts a chat as the core would; returns the resident's page URL (with the capability) and the attr_url.</summary>
    public async Task<(string ClientUrl, string AttrUrl)> StartChatAsync(string tenant, string? authResult = null)
    {
        var response = await Server.Client.PostAsJsonAsync($"/{tenant}/chat/start_communication", new { purpose = "report_move", auth_result = authResult });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("client_url").GetString()!, body.GetProperty("attr_url").GetString()!);
    }

    /// <summary>A new chat of <paramref name="tenant"/>, queued and taken by <paramref name="holder"/> (left away afterwards): its page URL and id.</summary>
    public async Task<(string ClientUrl, string Id)> ChatTakenByAsync(string tenant, Agents.Agent holder)
    {
        var chats = Server.App.Services.GetRequiredService<Chat.ChatStore>();
        var (clientUrl, attrUrl) = await StartChatAsync(tenant);
        var id = attrUrl.Split('/').Last();
        await chats.EnqueueAsync(tenant, id, CancellationToken.None);
        await chats.SetAvailableAsync(tenant, holder.Id, true, CancellationToken.None);
        Assert.Equal(Chat.TakeOutcome.Taken, await chats.TakeAsync(tenant, id, holder, CancellationToken.None));
        await chats.SetAvailableAsync(tenant, holder.Id, false, CancellationToken.None);
        return (clientUrl, id);
    }

    public async Task<(string Code, string AttrUrl, string Tel)> StartPhoneAsync(string tenant)
    {
        var response = await Server.Client.PostAsJsonAsync($"/{tenant}/phone/start_communication", new { purpose = "report_move" });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var tel = body.GetProperty("client_url").GetString()!;
        return (tel.Split(",,")[1], body.GetProperty("attr_url").GetString()!, tel);
    }

    /// <summary>A result signed with the test sign-in's key (or <paramref name="signer"/>), encrypted to the shared desk key (or <paramref name="recipient"/>).</summary>
    public string Token(string fullname, DateTimeOffset? now = null, PrivateKey? signer = null, PrivateKey? recipient = null) =>
        AuthResultToken.Issue(
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = fullname, ["bsn"] = "999993653" }),
            signer ?? TestKey,
            (recipient ?? DeskKey).PublicKey,
            now ?? DateTimeOffset.UtcNow);

    public Task<HttpResponseMessage> PostTokenAsync(string attrUrl, string token, string contentType = "application/jwt") =>
        Server.Client.PostAsync(attrUrl, new StringContent(token, Encoding.ASCII, contentType));

    public async Task<(int Status, JsonElement Body)> ExchangeAsync(string tenant, string action, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/exchange/{action}") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var response = await Server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>Identify on the tenant's exchange API; returns the result ("matched", "wrong_code", …).</summary>
    public async Task<string> IdentifyAsync(string tenant, string code, string callId, string? caller)
    {
        var key = tenant == TenantA ? KeyA : tenant == TenantB ? KeyB : KeyC;
        var (status, body) = await ExchangeAsync(tenant, "identify", new { code, call_id = callId, caller }, key);
        Assert.Equal(200, status);
        return body.GetProperty("result").GetString()!;
    }

    /// <summary>Wrong web codes one address may type per hour in tenant B.</summary>
    public const int WrongWebCodesB = 3;

    /// <summary>Wrong sign-in attempts one address may make per hour in tenant D.</summary>
    public const int WrongSignInsD = 4;

    /// <summary>Video bookings one address may make per day in tenant D (only BookingCapTests book there).</summary>
    public const int BookingsPerAddressD = 3;

    /// <summary>Tenant D's DTMF code length (Desk:DtmfLength); the others keep the default 6.</summary>
    public const int DtmfLengthD = 8;

    /// <summary>Live web codes tenant D may have at once (only the cap test makes them there).</summary>
    public const int MaxLiveWebCodesD = 2;

    /// <summary>Tenant A's own website (Branding:WebsiteUrl), where its resident end pages lead back to; the others have none.</summary>
    public const string WebsiteA = "https://www.gemeente-a.example/contact?via=idcontact&x=1";

    public static object Tenant(string key, string phone, int wrongCodesPerCaller = 10, int alertPerMinute = 20, PrivateKey? decryptionKey = null, PrivateKey? retiredKey = null, int wrongWebCodes = 10, int maxLiveWebCodes = 50, int wrongSignIns = 1000, string? website = null, int bookingsPerAddress = 100_000, int dtmfLength = 6) => new
    {
        DisplayName = "Gemeente " + phone,
        // An empty section rather than a null URL: configuration would read null as "".
        Branding = website is null ? new object() : new { WebsiteUrl = website },
        Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", NameEn = "Report a move", Attributes = new[] { "fullname", "bsn" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
        AuthMethods = new[] { new { Tag = "test", Name = "Testinlog", ImagePath = "/x.svg", Start = "https://auth.example" } },
        CommMethods = new[]
        {
            new { Tag = "phone", Name = "Bellen", ImagePath = "/x.svg", Start = "/{tenant}/phone" },
            new { Tag = "video", Name = "Videobellen", ImagePath = "/x.svg", Start = "/{tenant}/video" },
        },
        Desk = new
        {
            PhoneNumber = phone,
            DtmfLength = dtmfLength,
            ExchangeApiKey = key,
            WrongCodesPerCallerPerHour = wrongCodesPerCaller,
            WrongCodeAlertPerMinute = alertPerMinute,
            DecryptionKey = decryptionKey?.ToConfig(),
            PreviousDecryptionKeys = retiredKey is null ? Array.Empty<KeyConfig>() : [retiredKey.ToConfig()],
            ExternalLinkTemplate = "https://zaken.example.nl/?bsn={bsn}",
            WebCode = new { WrongPerAddressPerHour = wrongWebCodes, MaxLive = maxLiveWebCodes },
            // The other tests all sign in from 127.0.0.1, wrong passwords and lock-outs included: room for all of them.
            SignIn = new { WrongPerAddressPerHour = wrongSignIns },
            Chat = new
            {
                PurposesWithoutIdentification = new[] { "report_move" },
                MaxChatsPerAgent = 2,
                QuickReplies = new[] { new { Label = "Begroeting <i>", Text = "Goedendag \"<script>alert(1)</script>\" & welkom" } },
            },
            // Every day, so the tests find free slots whenever they run; two video desks per slot.
            Video = new
            {
                OpeningHours = Enum.GetNames<DayOfWeek>().ToDictionary(d => d, _ => "08:00-20:00"),
                SlotMinutes = 30,
                Agents = 2,
                LinkOpensMinutesBefore = 10,
                GraceMinutes = 15,
                // Every test books from 127.0.0.1: room for all of them, except in D.
                BookingsPerAddressPerDay = bookingsPerAddress,
            },
        },
    };
}

public sealed class SqliteDeskServer : DeskServer
{
    protected override string Provider => "Sqlite";
}

public sealed class PostgresDeskServer : DeskServer
{
    protected override string Provider => "Postgres";
}
