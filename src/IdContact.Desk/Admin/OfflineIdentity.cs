using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Admin;

/// <summary>ASP.NET Core Identity on one tenant's database outside a request: for the CLI and demo seeding.</summary>
public sealed class OfflineIdentity : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly AsyncServiceScope _scope;

    public OfflineIdentity(TenantDatabases databases, string tenant)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddScoped(_ => databases.Open(tenant));
        services.AddIdentityCore<Agent>(DeskRole.ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DeskDbContext>()
            .AddDefaultTokenProviders();
        _provider = services.BuildServiceProvider();
        _scope = _provider.CreateAsyncScope();
        Users = _scope.ServiceProvider.GetRequiredService<UserManager<Agent>>();
    }

    public UserManager<Agent> Users { get; }

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
