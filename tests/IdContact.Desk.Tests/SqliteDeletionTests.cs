using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tests;

/// <summary>Deletion really deletes (M3): an ended session's bytes are not left readable in the SQLite file.</summary>
public class SqliteDeletionTests(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
{
    [Fact]
    public async Task An_ended_calls_token_is_gone_from_the_database_file()
    {
        var (code, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantB);
        var token = desk.Token("Verdwijnt Volledig");
        Assert.Equal(HttpStatusCode.OK, (await desk.PostTokenAsync(attrUrl, token)).StatusCode);
        await desk.ExchangeAsync(desk.TenantB, "identify", new { code, call_id = "call-gone" }, DeskServer.KeyB);
        var marker = Encoding.ASCII.GetBytes(token[^40..]);
        await CheckpointAsync();
        Assert.True(FileContains(marker), "the stored token should be in the file before deletion (else this test proves nothing)");

        await desk.ExchangeAsync(desk.TenantB, "ended", new { call_id = "call-gone" }, DeskServer.KeyB);
        await CheckpointAsync();

        Assert.False(FileContains(marker));
    }

    [Fact]
    public async Task Every_desk_connection_enforces_foreign_keys_so_no_contact_can_land_on_a_deleted_account()
    {
        // Pooled connections too: the keys of DeskDbContext.AgentHolds mean nothing on a connection that ignores them.
        for (var i = 0; i < 3; i++)
        {
            await using var db = desk.Databases.Open(desk.TenantB);
            Assert.Equal([1L], await db.Database.SqlQueryRaw<long>("PRAGMA foreign_keys").ToListAsync());
        }
    }

    private string DatabaseFile => Path.Combine(desk.Server.DataDirectory, "desk", desk.TenantB + ".db");

    private async Task CheckpointAsync()
    {
        await using var db = desk.Databases.Open(desk.TenantB);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private bool FileContains(byte[] marker)
    {
        using var stream = new FileStream(DatabaseFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray().AsSpan().IndexOf(marker) >= 0;
    }
}
