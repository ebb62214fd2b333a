using IdContact.Hosting;

namespace IdContact.Desk;

/// <summary>Demo mode's desk: the exchange simulator, demo agents, development keys and the demo municipalities' numbers.</summary>
internal static class DeskDemo
{
    private static readonly Dictionary<string, string> PhoneNumbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["arnhem"] = "+31263770000",
        ["utrecht"] = "+31302860000",
    };

    /// <summary>A few standard texts for the demo's chat, as a contact centre would write them.</summary>
    private static readonly QuickReply[] DemoQuickReplies =
    [
        new() { Label = "Begroeting", Text = "Goedendag, waarmee kan ik u helpen?" },
        new() { Label = "Even geduld", Text = "Een ogenblik alstublieft, ik zoek het voor u uit." },
        new() { Label = "Identificatie", Text = "Om u verder te helpen vraag ik u in te loggen. U krijgt zo een knop in dit venster." },
        new() { Label = "Afsluiten", Text = "Kan ik u nog ergens anders mee helpen? Zo niet, dan sluit ik het gesprek af. Een fijne dag!" },
        new() { Label = "English", Text = "Hello, I can help you in English as well. What is your question?" },
    ];

    public static void Fill(IdContactOptions options, DevelopmentKeys? developmentKeys)
    {
        if (developmentKeys is null)
        {
            return;
        }

        var desk = options.Desk();
        if (options.EmbeddedDemo)
        {
            desk.ExchangeSimulator = true;
            desk.SeedDemoAgents = true;
            foreach (var (tag, tenant) in options.Tenants.Where(t => PhoneNumbers.ContainsKey(t.Key)))
            {
                var tenantDesk = tenant.Desk();
                tenantDesk.PhoneNumber = PhoneNumbers[tag];
                tenantDesk.ExternalLinkTemplate = "https://zaken.example.nl/zoeken?bsn={bsn}";
                // The demo's exchange is the simulator page on this server; its key is per demo process only.
                tenantDesk.ExchangeApiKey = DemoConfiguration.DemoExchangeKey;
                tenantDesk.ExchangeRouteUrl = "/{tenant}/exchange-simulator/route";
                // A move can be reported in a chat that starts without sign-in; the agent asks for it when needed.
                tenantDesk.Chat.PurposesWithoutIdentification.Add("report_move");
                if (tenantDesk.Chat.QuickReplies.Count == 0)
                {
                    tenantDesk.Chat.QuickReplies.AddRange(DemoQuickReplies);
                }

                // Video appointments every day, so the demo always has free times; two desks in parallel.
                foreach (var day in Enum.GetNames<DayOfWeek>())
                {
                    tenantDesk.Video.OpeningHours.TryAdd(day, "08:00-20:00");
                }

                tenantDesk.Video.Agents = 2;
            }
        }

        desk.DecryptionKey ??= developmentKeys.CommDecryption.ToConfig();
        if (desk.VerificationKeys.Count == 0)
        {
            desk.VerificationKeys.Add(developmentKeys.TrustedTestKey());
        }

        desk.ApiKey ??= DemoConfiguration.DemoPluginKey;

        // The desk may start identification during a chat: its generated starter key is registered at every tenant.
        desk.StarterKey ??= developmentKeys.DeskStarter.ToConfig();
        var starter = Protocol.Keys.PrivateKey.Load(desk.StarterKey).PublicKey.ToConfig();
        foreach (var tenant in options.Tenants.Values)
        {
            tenant.StarterKeys.TryAdd(desk.StarterKeyId, starter);
        }
    }
}
