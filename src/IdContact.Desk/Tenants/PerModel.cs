using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace IdContact.Desk.Tenants;

/// <summary>
/// A compiled query for each model it meets. EF Core binds a compiled query to the first model it runs against, and one
/// process may hold both providers' models (the tests run SQLite and PostgreSQL side by side).
/// </summary>
public sealed class PerModel<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
