using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace IdContact.Desk.Tenants;

/// <summary>
/// A PostgreSQL restart (or crash, or a broken network) ends every session on the server. Npgsql then clears the pool of
/// the one database whose connection failed, but each other database (every tenant's and the installation's) still
/// hands out its dead idle connections, and each fails one request in turn. All the desk's databases are on one server,
/// so the first such failure clears all their pools: the requests after it open fresh connections.
/// </summary>
/// <param name="connectionStrings">The connection string of each database of the desk, as its contexts use it.</param>
public sealed class PostgresPoolReset(IReadOnlyList<string> connectionStrings) : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => ClearWhenLost(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ClearWhenLost(eventData.Exception);
        return Task.CompletedTask;
    }

    /// <summary>The server ended the session (57P01 shutdown, 57P02 crash) or the connection broke; not a time-out.</summary>
    public static bool ServerLost(Exception e) => e switch
    {
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown,
        NpgsqlException { InnerException: IOException or System.Net.Sockets.SocketException } => true,
        _ => false,
    };

    private void ClearWhenLost(Exception e)
    {
        if (!ServerLost(e))
        {
            return;
        }

        foreach (var connectionString in connectionStrings)
        {
            // Idle connections are closed now, ones in use when they come back; a pool not made yet is no error.
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
