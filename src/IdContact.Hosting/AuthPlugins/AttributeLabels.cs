namespace IdContact.Hosting.AuthPlugins;

/// <summary>Human names of the well-known attribute tags, for the pages residents see. Dutch first.</summary>
public static class AttributeLabels
{
    /// <summary>"Volledige naam (fullname)"; an unknown tag is shown as it is.</summary>
    public static string WithTag(string tag, bool english)
    {
        var name = Name(tag, english);
        return name is null ? tag : $"{name} ({tag})";
    }

    /// <summary>"Volledige naam"; an unknown tag is shown as it is.</summary>
    public static string Plain(string tag, bool english) => Name(tag, english) ?? tag;

    private static string? Name(string tag, bool english) => (tag, english) switch
    {
        ("fullname", false) => "Volledige naam",
        ("fullname", true) => "Full name",
        ("birthdate", false) => "Geboortedatum",
        ("birthdate", true) => "Date of birth",
        ("bsn", _) => "BSN",
        ("email", false) => "E-mailadres",
        ("email", true) => "E-mail address",
        _ => null,
    };
}
