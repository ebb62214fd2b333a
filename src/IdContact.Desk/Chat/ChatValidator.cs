using IdContact.Hosting;

namespace IdContact.Desk.Chat;

/// <summary>The checks of a municipality's "Tenants:{tag}:Desk:Chat", one plain sentence per problem.</summary>
internal static class ChatValidator
{
    public static void Validate(string at, TenantOptions tenant, int maxLineBreaks, List<string> problems)
    {
        var chat = tenant.Desk().Chat;
        if (chat.MaxChatsPerAgent is < 1 or > 20)
        {
            problems.Add($"{at}:MaxChatsPerAgent must be between 1 and 20.");
        }

        foreach (var (day, ranges) in chat.OpeningHours)
        {
            if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out _) || int.TryParse(day, out _))
            {
                problems.Add($"{at}:OpeningHours: '{day}' is not an English weekday name such as \"monday\".");
            }
            else if (OpeningRanges.Problem(ranges, out _) is { } problem)
            {
                problems.Add($"{at}:OpeningHours:{day} {problem}.");
            }
        }

        foreach (var date in chat.ClosedDays.Where(d => !DateOnly.TryParseExact(d, "yyyy-MM-dd", out _)))
        {
            problems.Add($"{at}:ClosedDays: '{date}' is not a date like 2026-12-25.");
        }

        foreach (var purpose in chat.PurposesWithoutIdentification.Where(p => tenant.Purposes.All(x => x.Tag != p)))
        {
            problems.Add($"{at}:PurposesWithoutIdentification: there is no purpose '{purpose}'.");
        }

        if (chat.AppointmentUrl is { } url && !ConfigChecks.IsHttpUrl(url))
        {
            problems.Add($"{at}:AppointmentUrl must be an http(s) URL.");
        }

        QuickReplyChecks(at + ":QuickReplies", chat.QuickReplies, maxLineBreaks, problems);
    }

    /// <summary>At most this many standard texts: the agent scans them during a conversation.</summary>
    public const int MaxQuickReplies = 30;

    private static void QuickReplyChecks(string at, List<QuickReply> replies, int maxLineBreaks, List<string> problems)
    {
        if (replies.Count > MaxQuickReplies)
        {
            problems.Add($"{at}: at most {MaxQuickReplies} standard texts.");
        }

        for (var i = 0; i < replies.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(replies[i].Label) || replies[i].Label.Length > 60)
            {
                problems.Add($"{at}:{i}:Label must be 1–60 characters.");
            }

            if (ChatRules.Refusal(ChatRules.Tidy(replies[i].Text), maxLineBreaks, english: true) is not null)
            {
                problems.Add($"{at}:{i}:Text must be 1–{ChatRules.MaxLength} characters with at most Desk:Chat:MaxLineBreaks line breaks, as any chat message.");
            }
        }

        foreach (var label in replies.GroupBy(r => r.Label.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add($"{at}: the label '{label}' is used twice.");
        }
    }
}
