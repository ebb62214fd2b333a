using System.Diagnostics;
using IdContact.Desk.Sessions;
using IdContact.Desk.Tenants;
using IdContact.Protocol.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace IdContact.Bench;

/// <summary>
/// Preloads a tenant with live sessions as a busy day leaves them: most still waiting for a call (a code, no result
/// yet), some queued with a result, a few taken by the agent; all active within the retention window. PostgreSQL
/// gets them by binary COPY, SQLite by prepared inserts in one transaction.
/// </summary>
public static class LiveSessions
{
    public static async Task PreloadAsync(BenchServer server, int count)
    {
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        // A few real tokens, so the agent's page decrypts real results; each row has its own replay key (unique index).
        var tokens = Enumerable.Range(0, 50).Select(i => AuthResultToken.Issue(
            AuthResult.Succeeded(new Dictionary<string, string> { ["fullname"] = $"Vooraf Geladen {i}", ["bsn"] = "999993653" }),
            server.Signer, server.DeskKey, now)).ToArray();
        var random = new Random(12);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            // 90 % waiting for a call, 7 % queued, 3 % taken.
            var state = (i % 100) switch { < 90 => ContactState.Waiting, < 97 => ContactState.Queued, _ => ContactState.Active };
            var created = now - TimeSpan.FromSeconds(60 + random.Next(0, 30 * 60));
            var waiting = state == ContactState.Waiting;
            return new ContactSession
            {
                Id = Secrets.NewId(),
                Channel = "phone",
                Purpose = "report_move",
                State = state,
                ResultToken = waiting && i % 2 == 0 ? null : tokens[i % tokens.Length],
                ResultKey = waiting && i % 2 == 0 ? null : $"live-{i:D8}",
                // Codes of 8 digits starting with 0 after "live" rows: the flows' random codes may meet one (the store draws again).
                Code = waiting ? "0" + i.ToString("D7") : null,
                CodeExpiresAt = waiting ? now + TimeSpan.FromMinutes(10) : null,
                SecretHash = waiting ? null : Secrets.Hash("live-secret-" + i),
                CallId = waiting ? null : $"live-call-{i}",
                AgentId = state == ContactState.Active ? server.AgentId : null,
                CreatedAt = created,
                LastActivityAt = created,
            };
        }).ToList();

        await using var db = server.Services.GetRequiredService<TenantDatabases>().Open(server.Tenant);
        if (db.Database.IsNpgsql())
        {
            await CopyAsync(db, rows);
        }
        else
        {
            await InsertAsync(db, rows);
        }

        Console.WriteLine($"  preloaded {count:N0} live sessions in {watch.Elapsed.TotalSeconds:F1} s ({rows.Count(r => r.State != ContactState.Waiting):N0} in the agents' list)");
    }

    private static async Task CopyAsync(DeskDbContext db, List<ContactSession> rows)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using (var copy = await connection.BeginBinaryImportAsync(
            """COPY "Sessions" ("Id", "Channel", "Purpose", "State", "ResultToken", "ResultTokenHash", "Code", "CodeExpiresAt", "SecretHash", "CallId", "AgentId", "CreatedAt", "LastActivityAt") FROM STDIN (FORMAT BINARY)"""))
        {
            foreach (var r in rows)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Id, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Channel, NpgsqlDbType.Varchar);
                await copy.WriteAsync(r.Purpose, NpgsqlDbType.Varchar);
                await copy.WriteAsync((int)r.State, NpgsqlDbType.Integer);
                await WriteNullableAsync(copy, r.ResultToken, NpgsqlDbType.Text);
                await WriteNullableAsync(copy, r.ResultKey, NpgsqlDbType.Text);
                await WriteNullableAsync(copy, r.Code, NpgsqlDbType.Varchar);
                await WriteNullableAsync(copy, r.CodeExpiresAt?.UtcTicks, NpgsqlDbType.Bigint);
                await WriteNullableAsync(copy, r.SecretHash, NpgsqlDbType.Text);
                await WriteNullableAsync(copy, r.CallId, NpgsqlDbType.Text);
                await WriteNullableAsync(copy, r.AgentId, NpgsqlDbType.Text);
                await copy.WriteAsync(r.CreatedAt.UtcTicks, NpgsqlDbType.Bigint);
                await copy.WriteAsync(r.LastActivityAt.UtcTicks, NpgsqlDbType.Bigint);
            }

            await copy.CompleteAsync();
        }

        // As autovacuum would after a busy morning: fresh statistics and an all-visible map.
        await using var vacuum = new NpgsqlCommand("""VACUUM ANALYZE "Sessions" """, connection);
        await vacuum.ExecuteNonQueryAsync();
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value, type);
        }
    }

    private static async Task InsertAsync(DeskDbContext db, List<ContactSession> rows)
    {
        foreach (var chunk in rows.Chunk(5_000))
        {
            db.Sessions.AddRange(chunk);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }
}
