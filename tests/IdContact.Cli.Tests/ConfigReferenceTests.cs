using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdContact.Hosting;
using IdContact.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace IdContact.Cli.Tests;

/// <summary>
/// The configuration reference (docs/operations.md) and deploy/idcontact.sample.json ("shows every setting") kept in step with the
/// options classes: every setting documented with its default and shown in the sample, nothing stale in either, and
/// the sample, its REPLACE placeholders filled in, accepted by <c>config check</c>.
/// </summary>
public sealed class ConfigReferenceTests : CliTestBase
{
    /// <summary>Settings the production sample leaves out on purpose, with why (the reference documents them all).</summary>
    private static readonly Dictionary<string, string> NotInSample = new(StringComparer.Ordinal)
    {
        ["AuthTest:"] = "a test role: demo and tests only, and the production sample offers no test login",
        ["CommTest:"] = "a test role: demo and tests only",
        ["Tenants:{}:Desk:DecryptionKey"] = "a municipality's own key replaces Desk:DecryptionKey, which the sample shows",
    };

    private static readonly List<Setting> Settings = SettingPaths.All();

    [Fact]
    public void Every_setting_is_in_the_configuration_reference_with_its_initial_value_as_default()
    {
        var documented = Documented();
        var missing = Settings.Where(s => !documented.Any(d => d.Path == s.Path || d.Path.StartsWith(s.Path + ":", StringComparison.Ordinal)));
        Assert.True(!missing.Any(), "Not in the configuration reference (docs/operations.md): " + string.Join(", ", missing.Select(s => s.Path)));

        var wrong = new List<string>();
        foreach (var setting in Settings)
        {
            if (Shown(setting.Default) is { } value && documented.FirstOrDefault(d => d.InFirstColumn && d.Path == setting.Path) is { } row
                && !row.DefaultCell.Contains($"`{value}`", StringComparison.Ordinal))
            {
                wrong.Add($"{setting.Path} defaults to `{value}`, docs/operations.md says: {row.DefaultCell}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_key_in_the_configuration_reference_is_a_setting()
    {
        // Keys in the meaning column (an item's keys) document; only the first column's keys claim a setting.
        var stale = Documented().Where(d => d.InFirstColumn && !Settings.Any(s => s.Path == d.Path
            || s.Path.StartsWith(d.Path + ":", StringComparison.Ordinal) || d.Path.StartsWith(s.Path + ":", StringComparison.Ordinal)));
        Assert.True(!stale.Any(), "docs/operations.md documents what no options class has: " + string.Join(", ", stale.Select(d => d.Path)));
    }

    /// <summary>
    /// A setting the guides name in running text (`Desk:Chat:HandBackAfterMinutes`, a section such as `Desk:Video`, or
    /// part of one as the text around it places it: `SignIn:WrongPerAddressPerHour`) is one: consecutive segments of a
    /// setting's path.
    /// </summary>
    [Fact]
    public void Every_setting_the_guides_name_is_a_setting()
    {
        var settings = Settings.Select(s => (Path: s.Path.Split(':'), Collection: s.Type != typeof(string) && s.Type.IsAssignableTo(typeof(System.Collections.IEnumerable)))).ToList();
        var named = new List<(string File, string Key)>();
        foreach (var file in new[] { "README.md", "docs/staff-guide.md", "docs/website.md", "docs/operations.md", "docs/endpoints.md", "docs/development.md", "docs/cli.md", "docs/exchange-api.md", "docs/protocol.md", "docs/architecture.md", "docs/security.md", "deploy/two-instances.md" })
        {
            var text = File.ReadAllText(Path.Combine(RepoRoot(), file));
            named.AddRange(ConfigReference.NamedKeys(text).Select(key => (file, key)));
        }

        Assert.Contains(named, n => n.Key == "Desk:Chat:HandBackAfterMinutes");
        var unknown = named.Where(n => !settings.Any(s => Names(s.Path, s.Collection, ConfigReference.Canonical(n.Key).Split(':'))))
            .Select(n => $"{n.File}: `{n.Key}`").Distinct().ToList();
        Assert.True(unknown.Count == 0, "Named in the guides, no such setting:\n" + string.Join("\n", unknown));

        // Consecutive segments of the path, or, for a collection given whole (`AuthIrma:Attributes`), its end and then
        // inside an item (`AuthIrma:Attributes:{tag}`, `DataProtection:Previous:0:Certificate`).
        static bool Names(string[] path, bool collection, string[] part) =>
            Within(path, part) || (collection && Enumerable.Range(1, part.Length - 1)
                .Any(k => part[k] is "{}" or "[]" && part.Length - k <= 2 && Within(path, part[..k]) && path[^k..].SequenceEqual(part[..k])));

        static bool Within(string[] path, string[] part) =>
            part.Length <= path.Length && Enumerable.Range(0, path.Length - part.Length + 1).Any(i => path[i..(i + part.Length)].SequenceEqual(part));
    }

    [Fact]
    public void The_sample_shows_every_setting_and_nothing_that_binds_to_nothing()
    {
        var known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in Settings)
        {
            var segments = setting.Path.Split(':');
            for (var i = 1; i <= segments.Length; i++)
            {
                var prefix = string.Join(':', segments[..i]);
                known.TryAdd(prefix, prefix);
            }
        }

        var leaves = Settings.Select(s => s.Path).ToHashSet(StringComparer.Ordinal);
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var stale = new List<string>();
        Walk(JsonNode.Parse(File.ReadAllText(SamplePath()))!, "");

        Assert.True(stale.Count == 0, "The sample has keys no setting binds: " + string.Join(", ", stale));
        var missing = leaves.Where(p => !shown.Contains(p) && !NotInSample.Keys.Any(p.StartsWith));
        Assert.True(!missing.Any(), "Not in deploy/idcontact.sample.json: " + string.Join(", ", missing));
        Assert.All(NotInSample.Keys, left => Assert.Contains(leaves, p => p.StartsWith(left, StringComparison.Ordinal)));

        void Walk(JsonNode node, string path)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        var key = path.Length == 0 ? name : known.ContainsKey(path + ":{}") ? path + ":{}" : $"{path}:{name}";
                        if (!known.TryGetValue(key, out var canonical))
                        {
                            stale.Add(key);
                        }
                        else if (leaves.Contains(canonical))
                        {
                            shown.Add(canonical);
                        }
                        else if (child is not null)
                        {
                            Walk(child, canonical);
                        }
                    }

                    break;
                case JsonArray array when known.ContainsKey(path + ":[]"):
                    foreach (var item in array.OfType<JsonNode>())
                    {
                        Walk(item, known[path + ":[]"]);
                    }

                    break;
                default:
                    stale.Add(path + " (a value where sections belong)");
                    break;
            }
        }
    }

    [Fact]
    public void The_sample_with_its_placeholders_filled_in_passes_config_check()
    {
        var sample = JsonNode.Parse(File.ReadAllText(SamplePath()))!;
        Fill(sample, new Secrets(Dir));
        var path = Path.Combine(Dir, "filled.json");
        File.WriteAllText(path, sample.ToJsonString());

        var problems = ConfigCommands.Check(path);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Config_check_names_a_municipality_whose_desk_cannot_open_or_does_not_trust_the_Yivi_results()
    {
        var sample = JsonNode.Parse(File.ReadAllText(SamplePath()))!;
        Fill(sample, new Secrets(Dir));
        var other = Path.Combine(Dir, "other");
        Assert.Equal(0, Run("keygen", "--type", "rsa", "--out", other).Code);
        JsonNode OtherKey(string file) => new JsonObject { ["type"] = "RSA", ["key"] = File.ReadAllText(Path.Combine(other, file)) };
        List<string> Check(Action<JsonNode> change)
        {
            var changed = sample.DeepClone();
            change(changed);
            var path = Path.Combine(Dir, "changed.json");
            File.WriteAllText(path, changed.ToJsonString());
            return ConfigCommands.Check(path);
        }

        // Its own decryption key, while this server's auth-irma encrypts to the installation's.
        var own = Check(c => c["Tenants"]!["arnhem"]!["Desk"]!["DecryptionKey"] = OtherKey("private.pem"));
        Assert.StartsWith("Tenants:arnhem: AuthIrma:EncryptionKey is not the public half of Tenants:arnhem:Desk:DecryptionKey", Assert.Single(own));

        // Start URLs written out in full are this server's when they are at its PublicUrl (any capitals, default port).
        void Absolute(JsonNode c, string authHost)
        {
            var arnhem = c["Tenants"]!["arnhem"]!;
            arnhem["Desk"]!["DecryptionKey"] = OtherKey("private.pem");
            arnhem["AuthMethods"]![0]!["Start"] = $"https://{authHost}/arnhem/auth-irma";
            foreach (var method in arnhem["CommMethods"]!.AsArray())
            {
                method!["Start"] = "https://IDCONTACT.example.nl:443/{tenant}/" + method["Tag"]!.GetValue<string>() + "/";
            }
        }

        Assert.Equal(own, Check(c => Absolute(c, "idcontact.example.nl")));
        Assert.Empty(Check(c => Absolute(c, "yivi.elders.example")));

        // Halfway through a key change the key auth-irma still encrypts to is a previous one: fine.
        Assert.Empty(Check(c =>
        {
            var desk = c["Tenants"]!["arnhem"]!["Desk"]!;
            desk["PreviousDecryptionKeys"] = new JsonArray(c["Desk"]!["DecryptionKey"]!.DeepClone());
            desk["DecryptionKey"] = OtherKey("private.pem");
        }));

        var untrusted = Check(c => c["Desk"]!["VerificationKeys"]![0]!["key"] = File.ReadAllText(Path.Combine(other, "public.pem")));
        Assert.StartsWith("Desk:VerificationKeys does not hold the public half of AuthIrma:SigningKey", Assert.Single(untrusted));

        // A server started with such keys anyway names the mismatch in its log; with matching keys it says nothing.
        Assert.Contains(await StartUpWarningsAsync(Path.Combine(Dir, "changed.json")), m => m.Contains(untrusted[0], StringComparison.Ordinal));
        Check(_ => { });
        Assert.DoesNotContain(await StartUpWarningsAsync(Path.Combine(Dir, "changed.json")), m => m.Contains("do not belong together", StringComparison.Ordinal));
    }

    private async Task<List<string>> StartUpWarningsAsync(string config)
    {
        var logs = new Roles.Tests.CapturingLoggerProvider();
        await using (IdContactServer.Build(["--config", config, "--data", Dir], l => l.AddProvider(logs)))
        {
            return [.. logs.Messages];
        }
    }

    [Fact]
    public void Each_role_section_the_walk_assumes_is_the_one_the_role_binds()
    {
        var probes = new Dictionary<string, string?>();
        var expected = new List<(string Section, Type Type, System.Reflection.PropertyInfo Property)>();
        foreach (var (owner, prefix) in new[] { (typeof(IdContactOptions), ""), (typeof(TenantOptions), "Tenants:t:") })
        {
            foreach (var (name, type) in SettingPaths.RoleSections(owner))
            {
                var property = type.GetProperties().First(p => p.SetMethod is { IsPublic: true } && (p.PropertyType == typeof(int) || p.PropertyType == typeof(string)));
                probes[$"{prefix}{name}:{property.Name}"] = "7";
                expected.Add((prefix + name, type, property));
            }
        }

        probes["Tenants:t:DisplayName"] = "T";
        Assert.Contains(expected, e => e.Section == "Desk");
        Assert.Contains(expected, e => e.Section == "Tenants:t:Desk");

        var options = ServerConfiguration.Bind(new ConfigurationBuilder().AddInMemoryCollection(probes).Build(), ServerRoles.Create());
        foreach (var (section, type, property) in expected)
        {
            object owner = section.StartsWith("Tenants:", StringComparison.Ordinal) ? options.Tenants["t"] : options;
            var settings = owner.GetType().GetMethod("Settings")!.MakeGenericMethod(type).Invoke(owner, null);
            Assert.True(Convert.ToString(property.GetValue(settings), CultureInfo.InvariantCulture) == "7", $"{section}:{property.Name} did not bind");
        }
    }

    /// <summary>A simple initial value as the reference writes it, or null when there is none to compare.</summary>
    private static string? Shown(object? value) => value switch
    {
        bool b => b ? "true" : "false",
        int or long or double => Convert.ToString(value, CultureInfo.InvariantCulture),
        string { Length: > 0 } s => s,
        _ => null,
    };

    private static List<DocumentedKey> Documented()
    {
        var sections = typeof(IdContactOptions).GetProperties().Select(p => p.Name)
            .Concat(SettingPaths.RoleSections(typeof(IdContactOptions)).Keys).ToHashSet(StringComparer.Ordinal);
        return ConfigReference.Read(File.ReadAllText(Path.Combine(RepoRoot(), "docs", "operations.md")), sections);
    }

    /// <summary>Puts in what each REPLACE placeholder asks for, as an operator would.</summary>
    private static void Fill(JsonNode node, Secrets secrets)
    {
        var children = node switch
        {
            JsonObject obj => obj.Select(p => (Key: (object)p.Key, p.Value)).ToList(),
            JsonArray array => array.Select((v, i) => (Key: (object)i, Value: v)).ToList(),
            _ => [],
        };
        foreach (var (key, value) in children)
        {
            if (value is JsonValue text && text.TryGetValue<string>(out var s) && s.Contains("REPLACE", StringComparison.Ordinal))
            {
                var type = (node as JsonObject)?["type"]?.GetValue<string>();
                JsonNode filled = secrets.For(s, type);
                if (key is string name)
                {
                    node[name] = filled;
                }
                else
                {
                    node[(int)key] = filled;
                }
            }
            else if (value is not null)
            {
                Fill(value, secrets);
            }
        }
    }

    private static string SamplePath() => Path.Combine(RepoRoot(), "deploy", "idcontact.sample.json");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IdContact.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    /// <summary>One RSA and one EC key pair (keygen) and one key-ring certificate, so that every public key matches its private one.</summary>
    private sealed class Secrets(string dir)
    {
        private readonly (string Certificate, string Key) _ring = KeyRingOptions.NewCertificate("sample", 2048);

        public string For(string placeholder, string? keyType)
        {
            if (placeholder.Contains("certificate.pem", StringComparison.Ordinal))
            {
                return _ring.Certificate;
            }

            if (placeholder.Contains("key.pem", StringComparison.Ordinal))
            {
                return _ring.Key;
            }

            if (keyType is not null)
            {
                var file = placeholder.Contains("PKCS#8", StringComparison.Ordinal) ? "private.pem" : "public.pem";
                return File.ReadAllText(Path.Combine(KeyDir(keyType.ToLowerInvariant()), file));
            }

            // base64 of 32 bytes satisfies both Core:StateSecret and the ≥ 16 characters of the API keys.
            return placeholder.StartsWith("REPLACE", StringComparison.Ordinal)
                ? Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 37)).ToArray())
                : placeholder.Replace("REPLACE", "sample", StringComparison.Ordinal);
        }

        private string KeyDir(string type)
        {
            var keys = Path.Combine(dir, type);
            if (!Directory.Exists(keys))
            {
                Assert.Equal(0, Run("keygen", "--type", type, "--out", keys).Code);
            }

            return keys;
        }
    }
}
