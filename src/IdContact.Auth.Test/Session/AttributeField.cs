using IdContact.Hosting.AuthPlugins;

namespace IdContact.Auth.Test.Session;

/// <summary>One input on the tester's page: the attribute tag, a human label and a demo value to start from.</summary>
public sealed record AttributeField(string Tag, string InputId, string Label, string Value)
{
    public const int MaxValueLength = 1000;

    public string FieldName => FormName(Tag);

    public static string FormName(string tag) => "attr:" + tag;

    public static IReadOnlyList<AttributeField> For(IReadOnlyList<string> tags, bool english) =>
        [.. tags.Select((tag, i) => new AttributeField(tag, $"attr-{i}", AttributeLabels.WithTag(tag, english), DemoValue(tag)))];

    /// <summary>Fictitious values (the BSN is a known test number), so a demo runs by just pressing Continue.</summary>
    public static string DemoValue(string tag) => tag switch
    {
        "fullname" => "Jan de Vries",
        "birthdate" => "1980-04-01",
        "bsn" => "999993653",
        "email" => "jan@example.nl",
        _ => "",
    };
}
