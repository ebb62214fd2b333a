using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Protocol.Keys;
using IdContact.Protocol.Tokens;
using IdContact.Roles.Tests;
using IdContact.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>
/// Schema changes by EF Core migrations (one set per provider): a database made by the EnsureCreated of earlier versions
/// is baselined without losing its rows, later migrations apply to databases with data, and instances starting together
/// on one PostgreSQL database take turns.
/// </summary>
public class SchemaMigrationTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_desk_database_made_before_migrations_is_upgraded_at_start_up_keeping_live_sessions_and_agents(string provider)
    {
        var tenant = "legacy" + Guid.NewGuid().ToString("N")[..8];
        var data = Directory.CreateTempSubdirectory("idcontact-legacy-").FullName;
        var deskKey = PrivateKey.Generate(KeyType.Rsa);
        var signer = PrivateKey.Generate(KeyType.Rsa);
        await using var legacy = await ScratchDatabase.CreateAsync(provider, TenantDatabases.DatabaseName(tenant), Path.Combine(data, "desk", tenant + ".db"));
        await legacy.LegacySchemaAsync("desk");
        await using var installation = provider == "Sqlite" ? await ScratchDatabase.CreateAsync(provider, sqliteFile: Path.Combine(data, "desk", "_installation.db")) : null;
        await using var postgres = provider == "Postgres" ? new TestPostgres() : null; // the installation database, made at start-up
        if (installation is not null)
        {
            await installation.LegacySchemaAsync("installation");
            await installation.InsertAsync("UsedResults", new Dictionary<string, object?> { ["Key"] = "claimed-before", ["ExpiresAt"] = DateTimeOffset.UtcNow.AddMinutes(5).UtcTicks });
        }

        // What the old version left: a call in the queue with its result, a session waiting for its call, an agent.
        var now = DateTimeOffset.UtcNow;
        var queued = Session("queued-before", state: 1, code: null, now);
        queued["ResultToken"] = Token(signer, deskKey, "Inwoner Van Voor");
        queued["SecretHash"] = new string('A', 64);
        queued["CallId"] = "call-before";
        await legacy.InsertAsync("Sessions", queued);
        await legacy.InsertAsync("Sessions", Session("waiting-before", state: 0, code: "482916", now));
        var eva = legacy.AgentRow("eva", DeskAgent.Password);
        await legacy.InsertAsync("AspNetUsers", eva);
        await OrphansOfADeletedAccountAsync(legacy, (string)eva["Id"]!, now);

        var url = $"http://127.0.0.1:{RunningServer.FreePort()}";
        var config = Path.Combine(data, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new
            {
                DatabaseProvider = provider,
                PostgresConnectionString = provider == "Postgres" ? DeskServer.Postgres : null,
                InstallationDatabase = postgres?.InstallationDatabase,
                DecryptionKey = deskKey.ToConfig(),
                VerificationKeys = new[] { new { Type = "RSA", Key = signer.PublicKey.ToPem(), Name = "Yivi", Test = false } },
            },
            Tenants = new Dictionary<string, object> { [tenant] = DeskServer.Tenant(DeskServer.KeyA, "+31201111111") },
        }));
        var app = IdContactServer.Build(["--urls", url, "--data", data, "--config", config, .. RunningServer.NoRateLimits]);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            // The waiting session takes its result and its call as if nothing happened.
            var posted = await client.PostAsync($"/{tenant}/phone/attr/waiting-before", new StringContent(Token(signer, deskKey, "Inwoner Van Na"), Encoding.ASCII, "application/jwt"));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            using var identify = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/exchange/identify") { Content = JsonContent.Create(new { code = "482916", call_id = "call-after" }) };
            identify.Headers.Authorization = new("Bearer", DeskServer.KeyA);
            var matched = await (await client.SendAsync(identify)).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("matched", matched.GetProperty("result").GetString());

            // The agent of before signs in with the old password and sees both calls with their data.
            using var agent = new DeskAgent(new Uri(url), tenant);
            Assert.Equal(HttpStatusCode.SeeOther, (await agent.SignInAsync("eva")).StatusCode);
            Assert.Contains("Inwoner Van Voor", await (await agent.GetAsync("/desk/contacts?call=call-before")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Contains("Inwoner Van Na", await (await agent.GetAsync("/desk/contacts?call=call-after")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await Bounded.StopAsync(app, "the server on the legacy database");
        }

        await using (var db = legacy.Desk())
        {
            Assert.Equal(db.Database.GetMigrations(), await legacy.ColumnAsync("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"));
        }

        // What the deleted account held was handed back as its deletion would now; eva's call stays hers.
        Assert.Equal(
            [$"call-of-eva 2 {eva["Id"]}", "chat-of-gone 1 null", "video-of-gone 1 null"],
            await legacy.ColumnAsync("SELECT \"Id\", \"State\", \"AgentId\" FROM \"Sessions\" WHERE \"Id\" LIKE '%-of-%' ORDER BY 1"));
        Assert.Equal(["appointment-of-gone null"], await legacy.ColumnAsync("SELECT \"Id\", \"AgentId\" FROM \"Appointments\""));
        Assert.Empty(await legacy.ColumnAsync("SELECT \"AgentId\" FROM \"AgentPresence\""));

        if (installation is not null)
        {
            // The old claim is kept; the result posted after the upgrade was claimed with its holder.
            Assert.Equal(["claimed-before null", "other 64"], await installation.ColumnAsync(
                "SELECT CASE WHEN \"Key\" = 'claimed-before' THEN \"Key\" ELSE 'other' END, COALESCE(CAST(LENGTH(\"Holder\") AS TEXT), 'null') FROM \"UsedResults\" ORDER BY 1"));
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_baselined_database_even_one_older_than_the_last_EnsureCreated_ends_with_the_schema_of_a_new_one(string provider)
    {
        foreach (var (database, marker) in new[] { ("desk", "Sessions"), ("installation", "UsedResults") })
        {
            await using var fresh = await ScratchDatabase.CreateAsync(provider);
            await using var legacy = await ScratchDatabase.CreateAsync(provider);
            await legacy.LegacySchemaAsync(database);
            if (database == "desk")
            {
                // A version from before the chat had no ChatMessages; EnsureCreated's stopgap added it, so must the baseline.
                await legacy.ExecuteAsync("DROP TABLE \"ChatMessages\"");
            }

            foreach (var scratch in new[] { fresh, legacy })
            {
                await SchemaMigrator.MigrateAsync(database == "desk" ? scratch.Desk() : scratch.Installation(), marker, NullLogger.Instance, CancellationToken.None);
            }

            var expected = await fresh.SchemaAsync();
            Assert.Contains(expected, c => c.Contains(database == "desk" ? "ChatMessages" : "Holder", StringComparison.Ordinal));
            Assert.Equal(expected, await legacy.SchemaAsync());
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_follow_up_migration_applies_to_an_installation_database_with_rows_and_keeps_them(string provider)
    {
        // Made by the first release with migrations: at Initial, with claims in it.
        await using var database = await ScratchDatabase.CreateAsync(provider);
        string initial;
        await using (var db = database.Installation())
        {
            initial = db.Database.GetMigrations().First();
            await db.GetService<IMigrator>().MigrateAsync(initial);
            Assert.Contains(await db.Database.GetPendingMigrationsAsync(), m => m.EndsWith("_UsedResultHolder", StringComparison.Ordinal));
        }

        var expires = DateTimeOffset.UtcNow.AddMinutes(5).UtcTicks;
        await database.InsertAsync("UsedResults", new Dictionary<string, object?> { ["Key"] = "claim-1", ["ExpiresAt"] = expires });
        await database.InsertAsync("UsedResults", new Dictionary<string, object?> { ["Key"] = "claim-2", ["ExpiresAt"] = expires + 1 });

        await SchemaMigrator.MigrateAsync(database.Installation(), "UsedResults", NullLogger.Instance, CancellationToken.None);

        Assert.Equal([$"claim-1 {expires} null", $"claim-2 {expires + 1} null"], await database.ColumnAsync("SELECT \"Key\", \"ExpiresAt\", \"Holder\" FROM \"UsedResults\" ORDER BY 1"));
        await using (var db = database.Installation())
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            db.UsedResults.Add(new Sessions.UsedResult { Key = "claim-3", ExpiresAt = DateTimeOffset.UtcNow, Holder = "holder" });
            await db.SaveChangesAsync();
        }

        Assert.Equal(["claim-3 holder"], await database.ColumnAsync("SELECT \"Key\", \"Holder\" FROM \"UsedResults\" WHERE \"Holder\" IS NOT NULL"));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_subject_pseudonym_migration_keeps_the_access_records_of_before_without_one(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(provider);
        await using (var db = database.Desk())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var pseudonym = migrations.FindIndex(m => m.EndsWith("_SubjectPseudonym", StringComparison.Ordinal));
            Assert.True(pseudonym > 0);
            await db.GetService<IMigrator>().MigrateAsync(migrations[pseudonym - 1]);
        }

        var at = DateTimeOffset.UtcNow.UtcTicks;
        await database.InsertAsync("Audit", new Dictionary<string, object?> { ["AgentId"] = "id-anna", ["AgentName"] = "anna", ["SessionId"] = "s-before", ["Action"] = "view", ["At"] = at });

        await SchemaMigrator.MigrateAsync(database.Desk(), "Sessions", NullLogger.Instance, CancellationToken.None);

        Assert.Equal([$"anna s-before view {at} null"], await database.ColumnAsync("SELECT \"AgentName\", \"SessionId\", \"Action\", \"At\", \"SubjectPseudonym\" FROM \"Audit\""));
        await using (var db = database.Desk())
        {
            db.Audit.Add(new Agents.AuditRecord { AgentId = "id-anna", AgentName = "anna", SessionId = "s-after", Action = "view", At = DateTimeOffset.UtcNow, SubjectPseudonym = new string('a', 64) });
            await db.SaveChangesAsync();
            Assert.Equal(["s-after"], await db.Audit.Where(r => r.SubjectPseudonym == new string('a', 64)).Select(r => r.SessionId).ToListAsync());
        }
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_installation_database_made_before_migrations_is_baselined_then_migrated_with_its_rows(string provider)
    {
        await using var database = await ScratchDatabase.CreateAsync(provider);
        await database.LegacySchemaAsync("installation");
        await database.InsertAsync("UsedResults", new Dictionary<string, object?> { ["Key"] = "claim-before", ["ExpiresAt"] = 42L });

        await SchemaMigrator.MigrateAsync(database.Installation(), "UsedResults", NullLogger.Instance, CancellationToken.None);

        Assert.Equal(["claim-before 42 null"], await database.ColumnAsync("SELECT \"Key\", \"ExpiresAt\", \"Holder\" FROM \"UsedResults\""));
        await using var db = database.Installation();
        Assert.Equal(db.Database.GetMigrations(), await database.ColumnAsync("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"));
    }

    [Fact]
    public async Task Instances_starting_together_on_one_postgres_database_migrate_it_once_even_a_database_made_before_migrations()
    {
        await using var fresh = await ScratchDatabase.CreateAsync("Postgres");
        await using var legacy = await ScratchDatabase.CreateAsync("Postgres");
        await legacy.LegacySchemaAsync("desk");
        await legacy.InsertAsync("Sessions", Session("live", state: 0, code: "135790", DateTimeOffset.UtcNow));

        foreach (var database in new[] { fresh, legacy })
        {
            // Four start-ups at once, each with its own connections, as four processes would.
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
                SchemaMigrator.MigrateAsync(database.Desk(), "Sessions", NullLogger.Instance, CancellationToken.None))));
            await using var db = database.Desk();
            Assert.Equal(db.Database.GetMigrations(), await database.ColumnAsync("SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\" ORDER BY 1"));
        }

        Assert.Equal(["live 135790"], await legacy.ColumnAsync("SELECT \"Id\", \"Code\" FROM \"Sessions\""));
    }

    [Fact]
    public async Task A_start_up_waits_for_the_schema_lock_another_instance_holds_and_changes_nothing_meanwhile()
    {
        await using var database = await ScratchDatabase.CreateAsync("Postgres");
        await using var holder = new NpgsqlConnection(database.ConnectionString);
        await holder.OpenAsync();
        await Execute(holder, $"SELECT pg_advisory_lock({SchemaMigrator.LockKey})");

        var migrating = Task.Run(() => SchemaMigrator.MigrateAsync(database.Desk(), "Sessions", NullLogger.Instance, CancellationToken.None));
        // Seen waiting in pg_locks: a deterministic sign, no timing guess.
        for (var i = 0; i < 300 && await Scalar(holder, WaitingForLock) == 0; i++)
        {
            Assert.False(migrating.IsCompleted, "the start-up did not wait for the lock: " + migrating.Exception?.Message);
            await Task.Delay(100);
        }

        Assert.Equal(1, await Scalar(holder, WaitingForLock));
        Assert.Equal(0, await Scalar(holder, "SELECT COUNT(*)::int FROM information_schema.tables WHERE table_schema = 'public'"));

        await Execute(holder, $"SELECT pg_advisory_unlock({SchemaMigrator.LockKey})");
        await migrating;
        await using var db = database.Desk();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public void Every_model_change_has_its_migration_for_both_providers()
    {
        DbContext[] contexts =
        [
            new Tenants.Migrations.SqliteDeskDbContext(new DbContextOptionsBuilder().UseSqlite("Data Source=:memory:").Options),
            new Tenants.Migrations.PostgresDeskDbContext(new DbContextOptionsBuilder().UseNpgsql("Host=localhost").Options),
            new Tenants.Migrations.SqliteInstallationDbContext(new DbContextOptionsBuilder().UseSqlite("Data Source=:memory:").Options),
            new Tenants.Migrations.PostgresInstallationDbContext(new DbContextOptionsBuilder().UseNpgsql("Host=localhost").Options),
        ];
        foreach (var context in contexts)
        {
            using (context)
            {
                Assert.False(context.Database.HasPendingModelChanges(), $"{context.GetType().Name}: the model changed without a migration; run bash scripts/add-migration.sh <Name> [desk|installation]");
            }
        }
    }

    /// <summary>
    /// What an account deleted before the hand-back existed left behind (its id is in no AspNetUsers row): a chat, an
    /// opened video call and a caller's web identification it held, its video appointment and its presence; and a call
    /// <paramref name="evaId"/>, who still exists, holds.
    /// </summary>
    private static async Task OrphansOfADeletedAccountAsync(ScratchDatabase legacy, string evaId, DateTimeOffset now)
    {
        var gone = Guid.NewGuid().ToString();
        foreach (var (id, channel, code, callId, agent) in new (string, string, string?, string?, string)[]
        {
            ("chat-of-gone", "chat", null, null, gone),
            ("video-of-gone", "video", null, null, gone),
            ("identification-of-gone", "phone", "91827364", null, gone),
            ("call-of-eva", "phone", null, "call-eva", evaId),
        })
        {
            var session = Session(id, state: 2, code, now);
            (session["Channel"], session["CallId"], session["AgentId"]) = (channel, callId, agent);
            await legacy.InsertAsync("Sessions", session);
        }

        await legacy.InsertAsync("Appointments", new Dictionary<string, object?>
        {
            ["Id"] = "appointment-of-gone",
            ["SessionId"] = "video-of-gone",
            ["Purpose"] = "report_move",
            ["BookingExpiresAt"] = now.UtcTicks,
            ["Start"] = now.UtcTicks,
            ["End"] = now.AddMinutes(30).UtcTicks,
            ["AgentId"] = gone,
            ["PlannedBy"] = "agent",
            ["CreatedAt"] = now.UtcTicks,
        });
        await legacy.InsertAsync("AgentPresence", new Dictionary<string, object?> { ["AgentId"] = gone, ["Available"] = legacy.IsPostgres ? true : 1, ["Since"] = now.UtcTicks });
    }

    private static Dictionary<string, object?> Session(string id, int state, string? code, DateTimeOffset now) => new()
    {
        ["Id"] = id,
        ["Channel"] = "phone",
        ["Purpose"] = "report_move",
        ["State"] = state,
        ["Code"] = code,
        ["CodeExpiresAt"] = code is null ? null : now.AddMinutes(15).UtcTicks,
        ["CreatedAt"] = now.UtcTicks,
        ["LastActivityAt"] = now.UtcTicks,
    };

    private static string Token(PrivateKey signer, PrivateKey desk, string fullname) => AuthResultToken.Issue(
        AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = fullname, ["bsn"] = "999993653" }), signer, desk.PublicKey, DateTimeOffset.UtcNow);

    private const string WaitingForLock =
        "SELECT COUNT(*)::int FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<int> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
