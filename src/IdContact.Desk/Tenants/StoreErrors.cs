using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IdContact.Desk.Tenants;

/// <summary>Which database errors mean what, for both providers, however EF Core wraps them.</summary>
public static class StoreErrors
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    /// <summary>
    /// A unique index or key refused the row: a parallel writer got there first. Only this may be read as "already
    /// there"; a busy or unreachable database is not, and must reach the caller as a failure.
    /// </summary>
    public static bool IsUniqueViolation(Exception? e) => e switch
    {
        DbUpdateException u => IsUniqueViolation(u.InnerException),
        SqliteException s => s.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        PostgresException p => p.SqlState == PostgresErrorCodes.UniqueViolation,
        DbException d => IsUniqueViolation(d.InnerException),
        _ => false,
    };
}
