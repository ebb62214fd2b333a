using System.Text.Json;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace IdContact.Desk.Tests;

/// <summary>
/// A SQLite database that cannot be written (disk full, file system remounted read-only) is a 503 problem to retry,
/// as PostgreSQL's disk_full already is; a constraint violation that escaped stays a bug (a 500). The failures are
/// real ones, made by SQLite itself.
/// </summary>
public sealed class SqliteStorageFailureTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"idcontact-storage-{Guid.NewGuid():N}.db");

    public SqliteStorageFailureTests()
    {
        using var connection = Open(SqliteOpenMode.ReadWriteCreate);
        Execute(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    }

    [Fact]
    public async Task A_full_disk_is_a_503_problem_with_retry_after()
    {
        using var connection = Open(SqliteOpenMode.ReadWrite);
        // The file may not grow past its current pages: the next page needed is SQLite's "database or disk is full".
        var pages = (long)new SqliteCommand("PRAGMA page_count", connection).ExecuteScalar()!;
        Execute(connection, $"PRAGMA max_page_count = {pages}");
        var full = Assert.Throws<SqliteException>(() => Execute(connection, "INSERT INTO t (v) SELECT hex(randomblob(2000)) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) SELECT i FROM n)"));
        Assert.Equal(13, full.SqliteErrorCode);

        var http = await HandleAsync(new InvalidOperationException("wrapped", full));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", http.Response.ContentType);
        Assert.DoesNotContain("full", await BodyAsync(http), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_read_only_database_is_unavailable_but_a_constraint_violation_is_not()
    {
        using (var readOnly = Open(SqliteOpenMode.ReadOnly))
        {
            var refused = Assert.Throws<SqliteException>(() => Execute(readOnly, "INSERT INTO t (v) VALUES ('x')"));
            Assert.Equal(8, refused.SqliteErrorCode);
            Assert.True(StoreUnavailable.IsUnavailable(refused));
        }

        using var connection = Open(SqliteOpenMode.ReadWrite);
        var violation = Assert.Throws<SqliteException>(() => Execute(connection, "INSERT INTO t (v) VALUES (NULL)"));
        Assert.Equal(19, violation.SqliteErrorCode);
        Assert.False(StoreUnavailable.IsUnavailable(violation));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private SqliteConnection Open(SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _file, Mode = mode, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = new SqliteCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static async Task<DefaultHttpContext> HandleAsync(Exception exception)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        Assert.True(await new StoreUnavailable(NullLogger<StoreUnavailable>.Instance).TryHandleAsync(http, exception, CancellationToken.None));
        return http;
    }

    private static async Task<string> BodyAsync(HttpContext http)
    {
        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        Assert.Equal(503, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        return body;
    }
}
