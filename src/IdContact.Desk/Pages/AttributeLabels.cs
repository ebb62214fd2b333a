namespace IdContact.Desk.Pages;

/// <summary>Human labels of attribute tags for agents, Dutch first (M4).</summary>
public static class AttributeLabels
{
    private static readonly Dictionary<string, (string Nl, string En)> Labels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fullname"] = ("Naam", "Name"),
        ["name"] = ("Naam", "Name"),
        ["birthdate"] = ("Geboortedatum", "Date of birth"),
        ["dateofbirth"] = ("Geboortedatum", "Date of birth"),
        ["bsn"] = ("BSN", "Citizen service number (BSN)"),
        ["email"] = ("E-mailadres", "E-mail address"),
        ["phone"] = ("Telefoonnummer", "Phone number"),
        ["address"] = ("Adres", "Address"),
        ["city"] = ("Woonplaats", "City"),
    };

    public static string For(string tag, bool english) =>
        Labels.TryGetValue(tag, out var label) ? (english ? label.En : label.Nl) : tag;
}
