namespace IdContact.Auth.Irma.Fake;

/// <summary>Fictitious values for the fake phone (the BSN is a known test number), by the attribute id's last part.</summary>
public static class FakeValues
{
    public const int MaxValueLength = 1000;

    public static string DemoValue(string attributeId) => attributeId[(attributeId.LastIndexOf('.') + 1)..] switch
    {
        "fullname" => "Jan de Vries",
        "dateofbirth" => "01-04-1980",
        "bsn" => "999993653",
        "email" => "jan@example.nl",
        _ => "",
    };

    public static FakeOutcome? ParseOutcome(string? value) => value switch
    {
        "done" => FakeOutcome.Done,
        "cancelled" => FakeOutcome.Cancelled,
        "timeout" => FakeOutcome.Timeout,
        "invalid" => FakeOutcome.Invalid,
        "missing" => FakeOutcome.Missing,
        _ => null,
    };
}
