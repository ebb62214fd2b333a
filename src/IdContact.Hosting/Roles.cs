namespace IdContact.Hosting;

/// <summary>The roles one process can run; see ARCHITECTURE.md.</summary>
public static class Roles
{
    public const string Core = "core";
    public const string AuthTest = "auth-test";
    public const string CommTest = "comm-test";
    public const string Desk = "desk";

    public static readonly IReadOnlyList<string> Known = [Core, AuthTest, CommTest, Desk];

    /// <summary>Parses "all" or "core,auth-test"; unknown names are returned in <paramref name="unknown"/>.</summary>
    public static HashSet<string> Parse(string? value, out List<string> unknown)
    {
        unknown = [];
        var names = (value ?? "all").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var roles = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
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
}
