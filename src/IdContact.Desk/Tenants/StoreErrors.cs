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
    private const int SqliteConstraintForeignKey = 787;

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

    /// <summary>
    /// A foreign key refused the write: every key of a tenant's database points at an account or a role, so this is a
    /// row naming an account deleted meanwhile, or the deletion of an account something still names (DeskDbContext.AgentHolds).
    /// </summary>
    public static bool IsForeignKeyViolation(Exception? e) => e switch
    {
        DbUpdateException u => IsForeignKeyViolation(u.InnerException),
        SqliteException s => s.SqliteExtendedErrorCode == SqliteConstraintForeignKey,
        PostgresException p => p.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        DbException d => IsForeignKeyViolation(d.InnerException),
        _ => false,
    };
}
