namespace IdContact.Hosting;

/// <summary>Which of the known roles a configuration runs ("all" or a comma-separated list of names).</summary>
public static class RoleSet
{
    /// <summary>
    /// The roles this configuration runs, in the order of <paramref name="known"/>. "all" brings each role that says it
    /// runs with all (auth-irma only when an IRMA server is configured, test roles only in demo mode). Naming a role
    /// always runs it (and the validator refuses a test role outside demo mode). Unknown names are returned.
    /// </summary>
    public static List<IRole> Active(IdContactOptions options, IReadOnlyList<IRole> known, out List<string> unknown)
    {
        unknown = [];
        var all = false;
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in Names(options.Roles))
        {
            if (name.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                all = true;
            }
            else if (known.Any(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                named.Add(name);
            }
            else
            {
                unknown.Add(name);
            }
        }

        return known.Where(role => named.Contains(role.Name)
            || (all && role.RunsWithAll(options) && (!role.DemoOnly || options.IsDemo))).ToList();
    }

    public static bool Contains(this IEnumerable<IRole> roles, string name) =>
        roles.Any(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static string[] Names(string? value) =>
        (value ?? "all").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
