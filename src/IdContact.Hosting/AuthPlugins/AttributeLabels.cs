namespace IdContact.Hosting.AuthPlugins;

/// <summary>
/// Human names of the well-known attribute tags, Dutch first: one table for the pages residents see and those of agents,
/// so both call a value the same.
/// </summary>
public static class AttributeLabels
{
    private static readonly Dictionary<string, (string Nl, string En)> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fullname"] = ("Volledige naam", "Full name"),
        ["name"] = ("Naam", "Name"),
        ["birthdate"] = ("Geboortedatum", "Date of birth"),
        ["dateofbirth"] = ("Geboortedatum", "Date of birth"),
        ["bsn"] = ("BSN", "Citizen service number (BSN)"),
        ["email"] = ("E-mailadres", "E-mail address"),
        ["phone"] = ("Telefoonnummer", "Phone number"),
        ["address"] = ("Adres", "Address"),
        ["city"] = ("Woonplaats", "City"),
    };

    /// <summary>"Volledige naam (fullname)"; a name that already ends in its tag ("… (BSN)") is not given it twice; an unknown tag is shown as it is.</summary>
    public static string WithTag(string tag, bool english)
    {
        var name = Name(tag, english);
        return name is null ? tag
            : name.EndsWith($"({tag})", StringComparison.OrdinalIgnoreCase) ? name
            : $"{name} ({tag})";
    }

    /// <summary>"Volledige naam"; an unknown tag is shown as it is.</summary>
    public static string Plain(string tag, bool english) => Name(tag, english) ?? tag;

    private static string? Name(string tag, bool english) =>
        Labels.TryGetValue(tag, out var label) ? (english ? label.En : label.Nl) : null;
}
