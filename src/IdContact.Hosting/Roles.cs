namespace IdContact.Hosting;

/// <summary>The roles one process can run; see ARCHITECTURE.md.</summary>
public static class Roles
{
    public const string Core = "core";
    public const string AuthTest = "auth-test";
    public const string AuthIrma = "auth-irma";
    public const string CommTest = "comm-test";
    public const string Desk = "desk";

    public static readonly IReadOnlyList<string> Known = [Core, AuthTest, AuthIrma, CommTest, Desk];

    /// <summary>Parses "all" or "core,auth-test"; unknown names are returned in <paramref name="unknown"/>.</summary>
    public static HashSet<string> Parse(string? value, out List<string> unknown)
    {
        unknown = [];
        var roles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Names(value))
        {
            if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                roles.UnionWith(Known);
            }
            else if (Known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                roles.Add(name.ToLowerInvariant());
            }
            else
            {
                unknown.Add(name);
            }
        }

        return roles;
    }

    /// <summary>Roles that exist only for trying and testing: they run only in demo mode.</summary>
    public static readonly IReadOnlyList<string> DemoOnly = [AuthTest, CommTest];

    /// <summary>
    /// The roles this configuration runs. "all" brings auth-irma only when an IRMA server is configured: it cannot work
    /// without one, and a config written before the role existed must keep starting; it brings the test roles only in
    /// demo mode. Naming a role explicitly always runs it (and the validator refuses a test role outside demo mode).
    /// </summary>
    public static HashSet<string> Active(IdContactOptions options, out List<string> unknown)
    {
        var roles = Parse(options.Roles, out unknown);
        var named = Names(options.Roles);
        if (!named.Contains(AuthIrma, StringComparer.OrdinalIgnoreCase) && !options.AuthIrma.IsConfigured)
        {
            roles.Remove(AuthIrma);
        }

        if (!options.IsDemo)
        {
            roles.RemoveWhere(r => DemoOnly.Contains(r) && !named.Contains(r, StringComparer.OrdinalIgnoreCase));
        }

        return roles;
    }

    private static string[] Names(string? value) =>
        (value ?? "all").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
