using System.Collections;
using System.Reflection;
using IdContact.Hosting;
using IdContact.Protocol.Keys;
using IdContact.Server;

namespace IdContact.Cli.Tests;

/// <summary>One setting as the configuration names it, e.g. "Tenants:{}:Purposes:[]:Tag", with its initial value.</summary>
public sealed record Setting(string Path, Type Type, object? Default);

/// <summary>
/// Every setting the options classes bind, found by reflection: public settable properties, nested option classes
/// recursed into, a dictionary's key as "{}" and a list's item as "[]" (one level each).
/// </summary>
public static class SettingPaths
{
    /// <summary>The sections a role binds itself, by the convention of its extension method: <c>Desk(this IdContactOptions)</c> binds "Desk".</summary>
    public static IReadOnlyDictionary<string, Type> RoleSections(Type owner) =>
        ServerRoles.Create().Select(role => role.GetType().Assembly).Distinct()
            .SelectMany(assembly => assembly.GetExportedTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(method => method.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute), false)
                && method.GetParameters() is [var only] && only.ParameterType == owner && method.ReturnType.IsClass)
            .ToDictionary(method => method.Name, method => method.ReturnType);

    public static List<Setting> All()
    {
        var settings = new List<Setting>();
        Walk("", typeof(IdContactOptions), new IdContactOptions(), [], settings);
        foreach (var (name, type) in RoleSections(typeof(IdContactOptions)))
        {
            Walk(name, type, Activator.CreateInstance(type), [], settings);
        }

        foreach (var (name, type) in RoleSections(typeof(TenantOptions)))
        {
            Walk($"Tenants:{{}}:{name}", type, Activator.CreateInstance(type), [], settings);
        }

        return settings;
    }

    /// <summary>A value the configuration gives whole: text, numbers, and a key <c>{"type","key"}</c>.</summary>
    public static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(KeyConfig);

    /// <summary>A leaf, or a collection of them (e.g. a dictionary of lists of text).</summary>
    private static bool Whole(Type type) => IsLeaf(type) || (Element(type) is { } element && Whole(element));

    private static void Walk(string path, Type type, object? instance, HashSet<Type> outer, List<Setting> into)
    {
        outer = [.. outer, type];
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0);
        foreach (var property in properties)
        {
            var name = path.Length == 0 ? property.Name : $"{path}:{property.Name}";
            var value = instance is null ? null : property.GetValue(instance);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (Element(propertyType) is { } element)
            {
                var marker = propertyType.IsAssignableTo(typeof(IDictionary)) ? "{}" : "[]";
                // Items given whole, or of a class being walked already (earlier key-ring certificates): one setting.
                if (Whole(element) || outer.Contains(element))
                {
                    into.Add(new Setting(name, propertyType, value));
                }
                else
                {
                    Walk($"{name}:{marker}", element, Activator.CreateInstance(element), outer, into);
                }
            }
            else if (IsLeaf(propertyType) || outer.Contains(propertyType))
            {
                into.Add(new Setting(name, propertyType, value));
            }
            else
            {
                Walk(name, propertyType, value ?? Activator.CreateInstance(propertyType), outer, into);
            }
        }
    }

    /// <summary>The item type of a list or the value type of a dictionary; null for anything else.</summary>
    private static Type? Element(Type type)
    {
        if (type == typeof(string) || !type.IsAssignableTo(typeof(IEnumerable)))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var arguments = type.GetGenericArguments();
        return arguments.Length switch
        {
            1 => arguments[0],
            2 => arguments[1],
            _ => throw new InvalidOperationException($"{type} is a collection the walk does not know."),
        };
    }
}
