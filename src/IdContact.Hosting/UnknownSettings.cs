using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace IdContact.Hosting;

/// <summary>
/// Names every key of a configuration file that binds to no setting: a misspelt <c>"RetentionMinuts"</c> would
/// otherwise be ignored without a word and its default used. Judges the file only (environment variables hold
/// much else), against the options classes and each role's sections, matching names as the binder does (capitals
/// ignored).
/// </summary>
public static class UnknownSettings
{
    /// <summary>Sections of the ASP.NET Core host itself that a configuration file may carry.</summary>
    private static readonly HashSet<string> HostSections = new(StringComparer.OrdinalIgnoreCase) { "Logging", "Kestrel", "AllowedHosts", "Urls" };

    public static List<string> Find(IConfiguration file, IReadOnlyList<IRole> roles)
    {
        var root = Properties(typeof(IdContactOptions));
        var tenant = Properties(typeof(TenantOptions));
        foreach (var role in roles)
        {
            AddAll(root, role.Sections);
            AddAll(tenant, role.TenantSections);
        }

        var unknown = new List<string>();
        foreach (var section in file.GetChildren().Where(s => !HostSections.Contains(s.Key)))
        {
            if (string.Equals(section.Key, nameof(IdContactOptions.Tenants), StringComparison.OrdinalIgnoreCase))
            {
                foreach (var municipality in section.GetChildren())
                {
                    WalkMembers(municipality, tenant, unknown);
                }
            }
            else if (root.TryGetValue(section.Key, out var type))
            {
                Walk(section, type, unknown);
            }
            else
            {
                unknown.Add(section.Path);
            }
        }

        return [.. unknown.Select(path => $"{path} is not a setting (misspelt, or from another version?); remove or correct it (docs/operations.md lists every setting).")];
    }

    private static void AddAll(Dictionary<string, Type> into, IReadOnlyDictionary<string, Type> sections)
    {
        foreach (var (name, type) in sections)
        {
            into[name] = type;
        }
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> unknown)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsLeaf(type))
        {
            // A section where a value belongs is the binder's to refuse; nothing below it is a setting name.
            return;
        }

        if (Element(type) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                Walk(item, element, unknown);
            }

            return;
        }

        WalkMembers(section, Properties(type), unknown);
    }

    private static void WalkMembers(IConfigurationSection section, Dictionary<string, Type> members, List<string> unknown)
    {
        foreach (var child in section.GetChildren())
        {
            if (members.TryGetValue(child.Key, out var type))
            {
                Walk(child, type, unknown);
            }
            else
            {
                unknown.Add(child.Path);
            }
        }
    }

    /// <summary>The settable public properties of an options class, as the binder fills them.</summary>
    private static Dictionary<string, Type> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
            .ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.OrdinalIgnoreCase);

    private static bool IsLeaf(Type type) =>
        type == typeof(object) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri);

    /// <summary>The item type of a list or array, or the value type of a dictionary; null for anything else.</summary>
    private static Type? Element(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        if (!type.IsAssignableTo(typeof(IEnumerable)))
        {
            return null;
        }

        var arguments = type.GetGenericArguments();
        return arguments.Length is 1 or 2 ? arguments[^1] : typeof(object);
    }
}
