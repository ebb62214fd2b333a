using IdContact.Hosting;

namespace IdContact.Desk.Chat;

/// <summary>The checks of a municipality's "Tenants:{tag}:Desk:Chat", one plain sentence per problem.</summary>
internal static class ChatValidator
{
    public static void Validate(string at, TenantOptions tenant, List<string> problems)
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
            else if (!OpeningHours.TryParseRanges(ranges, out _))
            {
                problems.Add($"{at}:OpeningHours:{day} must be ranges like \"08:30-12:00,13:00-17:00\" (or empty for closed).");
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
    }
}
