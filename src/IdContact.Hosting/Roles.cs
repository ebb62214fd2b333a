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

    /// <summary>
    /// The roles this configuration runs. "all" brings auth-irma only when an IRMA server is configured: it cannot work
    /// without one, and a config written before the role existed must keep starting. Naming it explicitly always runs it.
    /// </summary>
    public static HashSet<string> Active(IdContactOptions options, out List<string> unknown)
    {
        var roles = Parse(options.Roles, out unknown);
        var named = Names(options.Roles).Contains(AuthIrma, StringComparer.OrdinalIgnoreCase);
        if (!named && !options.AuthIrma.IsConfigured)
        {
            roles.Remove(AuthIrma);
        }

        return roles;
    }

    private static string[] Names(string? value) =>
        (value ?? "all").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
