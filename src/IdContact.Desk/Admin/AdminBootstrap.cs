using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Admin;

/// <summary>Creates a tenant's first administrator outside the web server (the CLI's <c>admin create</c>).</summary>
public static class AdminBootstrap
{
    public static async Task<(string? Password, IReadOnlyList<string> Errors)> CreateAdminAsync(
        IdContactOptions options, string tenant, string userName, string? displayName, string? extension, CancellationToken ct = default)
    {
        if (!options.Tenants.ContainsKey(tenant))
        {
            return (null, [$"There is no municipality '{tenant}' in this configuration."]);
        }

        var databases = new TenantDatabases(Options.Create(options));
        await new DeskStartup(databases).StartAsync(ct);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection();
        services.AddScoped(_ => databases.Open(tenant));
        services.AddIdentityCore<Agent>(DeskRole.ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<DeskDbContext>()
            .AddDefaultTokenProviders();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Agent>>();
        var (agent, password, errors) = await AgentAccounts.CreateAsync(users, userName, displayName ?? userName, extension, isAdmin: true);
        return agent is null ? (null, errors.ToList()) : (password, []);
    }
}
