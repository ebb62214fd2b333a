using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IdContact.Core;
using IdContact.Desk.Video;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using YamlDotNet.RepresentationModel;

namespace IdContact.Desk.Tests;

/// <summary>
/// deploy/prometheus-alerts.yml names only metrics the service really exports: every metric in its rules' expressions
/// is in a /metrics scrape once each kind of event has happened, so a renamed metric cannot silently disarm a rule.
/// deploy/grafana-idcontact.json likewise: every metric its panels query is our instrument or in a scrape.
/// </summary>
public sealed partial class AlertRulesTests(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
{
    /// <summary>Recorded by Prometheus itself for each target, never on /metrics.</summary>
    private static readonly string[] PrometheusOwn = ["up"];

    /// <summary>Exported only with Desk:Redis set, after a readiness probe (this fixture has no Redis; Roles' HealthTests scrapes it).</summary>
    private static readonly string[] OnlyWithRedis = ["idcontact_desk_redis_reachable"];

    [Fact]
    public async Task Every_metric_the_alert_rules_use_is_in_a_real_scrape()
    {
        var rules = ReadRules();
        Assert.True(rules.Count >= 9, "the operator's alerts: down, not ready, 5xx, guessing, refused results, mail, retention, unstaffed chat, limits refusing");
        foreach (var (alert, expr) in rules)
        {
            Assert.True(alert.StartsWith("IdContact", StringComparison.Ordinal) && expr.Length > 0, alert);
        }

        await MakeEveryKindOfEventAsync();
        var scrape = await desk.Server.Client.GetStringAsync("/metrics");
        var exported = ExportedName().Matches(scrape).Select(m => m.Groups[1].Value).ToHashSet();

        var used = rules.SelectMany(r => MetricNames(r.Expr)).Distinct().ToList();
        Assert.Contains("idcontact_desk_chats_waiting", used);
        Assert.Contains("idcontact_desk_limit_refusals_total", used);
        Assert.Contains("idcontact_http_limit_refusals_total", used);
        var missing = used.Where(name => !exported.Contains(name) && !PrometheusOwn.Contains(name) && !OnlyWithRedis.Contains(name)).ToList();
        Assert.True(missing.Count == 0, "not on /metrics: " + string.Join(", ", missing));

        // The retention rule keys on the desk's start time, not only on the sweeps counter, which has no series until
        // the first sweep completes: an instance that never completed one would otherwise never fire.
        var retention = rules.Single(r => r.Alert == "IdContactRetentionNotRunning").Expr;
        Assert.Contains("idcontact_desk_start_time_seconds", retention);
        Assert.Contains("unless", retention);
        var started = long.Parse(Regex.Match(scrape, @"^idcontact_desk_start_time_seconds(?:\{[^}]*\})? (\d+)", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(started, DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        // The unstaffed-chat rule's gauges: tenant B's queued chat, and nobody there taking chats.
        Assert.Matches($"idcontact_desk_chats_waiting\\{{[^}}]*tenant=\"{desk.TenantB}\"[^}}]*\\}} 1\n", scrape);
        Assert.Matches($"idcontact_desk_chat_agents_available\\{{[^}}]*tenant=\"{desk.TenantB}\"[^}}]*\\}} 0\n", scrape);
    }

    /// <summary>The OpenTelemetry Prometheus exporter's names: dots become underscores, unit "s" adds _seconds,
    /// a counter ends in _total, a histogram is its _bucket, _count and _sum.</summary>
    private static IEnumerable<string> PrometheusNames(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
        {
            name += "_seconds";
        }

        var type = instrument.GetType().GetGenericTypeDefinition();
        return type == typeof(Counter<>) || type == typeof(ObservableCounter<>) ? [name + "_total"]
            : type == typeof(Histogram<>) ? [name + "_bucket", name + "_count", name + "_sum"]
            : [name];
    }

    /// <summary>Each alert's name and expression, read as YAML (groups → rules).</summary>
    private static List<(string Alert, string Expr)> ReadRules()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(DeployFile("prometheus-alerts.yml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        return ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>()
            .SelectMany(group => ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            .Select(rule => (((YamlScalarNode)rule["alert"]).Value!, ((YamlScalarNode)rule["expr"]).Value!))
            .ToList();
    }

    private static string DeployFile(string name) => RepoFile(Path.Combine("deploy", name));

    private static string RepoFile(string path)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "IdContact.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir.FullName, path);
    }

    /// <summary>
    /// The metric names in a PromQL expression: identifiers left once label matchers, strings, grouping clauses,
    /// durations, numbers and function calls are taken out, less the language's keywords.
    /// </summary>
    private static IEnumerable<string> MetricNames(string expr)
    {
        var bare = LabelMatchers().Replace(expr, " ");
        bare = Grouping().Replace(bare, " ");
        bare = Ranges().Replace(bare, " ");
        return Identifier().Matches(bare).Select(m => m.Value)
            .Where(word => word is not ("and" or "or" or "unless" or "bool" or "offset"));
    }

    /// <summary>What each rule counts: requests (and readiness), wrong codes past the alert level, a refused result, a mail failure, a sweep with a chat waiting, limits refusing.</summary>
    private async Task MakeEveryKindOfEventAsync()
    {
        await desk.Server.Client.GetAsync("/health/ready");

        // One more wrong code than tenant C's alert level, within a minute of its own.
        var calls = desk.Calls(new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(60)));
        for (var i = 0; i <= DeskServer.AlertPerMinuteC; i++)
        {
            await calls.IdentifyAsync(desk.TenantC, "0000000", $"alert-rules-{i}", $"+3165555555{i}", CancellationToken.None);
        }

        var (_, attrUrl, _) = await desk.StartPhoneAsync(desk.TenantA);
        Assert.NotEqual(HttpStatusCode.OK, (await desk.PostTokenAsync(new Uri(attrUrl).PathAndQuery, "not-a-token")).StatusCode);

        var outbox = ActivatorUtilities.CreateInstance<MailOutbox>(desk.Server.App.Services, TimeProvider.System, (IMailTransport)new RefusingTransport());
        Assert.False(await outbox.TrySendAsync(desk.TenantA, new OutgoingMail { Id = "alert-rules" }, new MimeMessage(), CancellationToken.None));

        // A third coming appointment for one address: refused by the e-mail cap.
        var email = $"alert-rules-{Guid.NewGuid():N}@example.nl";
        for (var i = 0; i < 3; i++)
        {
            var started = await desk.Server.Client.PostAsJsonAsync($"/{desk.TenantA}/video/start_communication", new { purpose = "report_move" });
            var resident = new Resident(new Uri(desk.Server.BaseUrl), (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("client_url").GetString()!);
            await resident.LoadAsync();
            var (slot, _) = await resident.FirstSlotAsync();
            // The third is answered as a booking too (the cap is no oracle), and counted as refused.
            Assert.Equal(HttpStatusCode.SeeOther, (await resident.BookAsync(slot, email)).StatusCode);
        }

        var (chatUrl, chatAttrUrl) = await desk.StartChatAsync(desk.TenantB);
        Assert.True(await desk.Server.App.Services.GetRequiredService<Chat.ChatStore>().EnqueueAsync(desk.TenantB, chatAttrUrl.Split('/')[^1], CancellationToken.None), chatUrl);
        await desk.Retention(TimeProvider.System).SweepAsync(CancellationToken.None);

        // A hub limit refusing (resident's typing past its pace), and a rate limit's 429 (this server's are a million a
        // minute, so its counter is told of one as its OnRejected does; RateLimitTests drives a real one).
        var typing = desk.Server.App.Services.GetRequiredService<Chat.ChatTypingFlood>();
        for (var taken = 0; await typing.TryTakeAsync(desk.TenantA, "alert-rules"); taken++)
        {
            Assert.True(taken < 1000, "the typing limit never refused");
        }

        var limited = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        limited.Request.RouteValues[Hosting.TenantRouting.RouteValue] = desk.TenantA;
        desk.Server.App.Services.GetRequiredService<Hosting.RateLimitMetrics>().Refused(limited);
    }

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )", RegexOptions.Multiline)]
    private static partial Regex ExportedName();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    /// <summary>Our metrics as the guides write them: <c>idcontact_desk_results_total</c> or <c>idcontact.desk.wrong_codes</c>.</summary>
    [GeneratedRegex(@"\bidcontact[._](?:core|desk|http)[._][a-z_.]*[a-z]")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    /// <summary>An identifier not followed by "(" (a function) and not part of a number.</summary>
    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifier();

    private sealed class RefusingTransport : IMailTransport
    {
        public Task SendAsync(MimeMessage message, CancellationToken ct) => throw new MailKit.Net.Smtp.SmtpProtocolException("refused");
    }

    /// <summary>
    /// The dashboard's check on a server of its own: the exporter caches a scrape for 300 ms, so on a shared server the
    /// alert test's scrape could be this one's, taken before its events.
    /// </summary>
    public sealed class Dashboard(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
    {
        [Fact]
        public async Task Every_metric_the_dashboard_uses_is_exported()
        {
            var queries = new List<string>();
            Collect(JsonNode.Parse(File.ReadAllText(DeployFile("grafana-idcontact.json")))!);
            Assert.True(queries.Count >= 8, "the dashboard's panels");

            var exported = Ours().SelectMany(i => i.Names).ToHashSet(StringComparer.Ordinal);

            // ASP.NET Core's request durations, as a scrape shows them.
            await desk.Server.Client.GetAsync("/health/ready");
            exported.UnionWith(ExportedName().Matches(await desk.Server.Client.GetStringAsync("/metrics")).Select(m => m.Groups[1].Value));

            var used = queries.SelectMany(MetricNames).Distinct().ToList();
            Assert.Contains("idcontact_desk_agent_connections", used);
            var missing = used.Where(name => !exported.Contains(name)).ToList();
            Assert.True(missing.Count == 0, "not exported: " + string.Join(", ", missing));

            void Collect(JsonNode node)
            {
                switch (node)
                {
                    case JsonObject obj:
                        foreach (var (key, child) in obj)
                        {
                            if (key == "expr" && child is JsonValue value)
                            {
                                queries.Add(value.GetValue<string>());
                            }
                            else if (child is not null)
                            {
                                Collect(child);
                            }
                        }

                        break;
                    case JsonArray array:
                        foreach (var child in array.OfType<JsonNode>())
                        {
                            Collect(child);
                        }

                        break;
                }
            }
        }

        /// <summary>
        /// The guides name only metrics we export (as the scrape spells them, or an instrument's own dotted name), and
        /// endpoints.md, the metrics reference, names every one of ours.
        /// </summary>
        [Fact]
        public void Every_metric_the_guides_name_is_exported_and_the_reference_names_each_of_ours()
        {
            var ours = Ours();
            var names = ours.SelectMany(i => i.Names.Append(i.Instrument)).ToHashSet(StringComparer.Ordinal);
            var wrong = new List<string>();
            foreach (var file in new[] { "README.md", "docs/endpoints.md", "docs/operations.md", "docs/staff-guide.md", "docs/security.md", "docs/architecture.md", "deploy/two-instances.md" })
            {
                var text = File.ReadAllText(RepoFile(file));
                wrong.AddRange(MetricName().Matches(text).Select(m => m.Value).Where(n => !names.Contains(n)).Distinct().Select(n => $"{file}: {n}"));
            }

            Assert.True(wrong.Count == 0, "Named in the docs, not exported:\n" + string.Join("\n", wrong));

            var reference = File.ReadAllText(RepoFile("docs/endpoints.md"));
            var missing = ours.Where(i => !i.Names.Any(n => Regex.IsMatch(reference, $@"\b{n}\b"))).Select(i => i.Names[0]).ToList();
            Assert.True(missing.Count == 0, "Not in docs/endpoints.md: " + string.Join(", ", missing));
        }

        /// <summary>
        /// Our own instruments with the names the Prometheus exporter gives them (the alert test above checks the naming
        /// on a real scrape); the core's meter is not in this desk-only server, so it is made here.
        /// </summary>
        private List<(string Instrument, string[] Names)> Ours()
        {
            _ = new CoreMetrics(desk.Server.App.Services.GetRequiredService<IMeterFactory>());
            _ = desk.Server.App.Services.GetRequiredService<DeskMetrics>();
            _ = desk.Server.App.Services.GetRequiredService<Hosting.RateLimitMetrics>();
            var ours = new List<(string, string[])>();
            using var listener = new MeterListener();
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name.StartsWith("IdContact.", StringComparison.Ordinal))
                {
                    ours.Add((instrument.Name, [.. PrometheusNames(instrument)]));
                }
            };
            listener.Start();
            Assert.Contains(ours, i => i.Item1 == "idcontact.core.sessions_started");
            return [.. ours.DistinctBy(i => i.Item1)];
        }
    }
}
