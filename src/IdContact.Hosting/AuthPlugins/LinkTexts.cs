namespace IdContact.Hosting.AuthPlugins;

/// <summary>What an auth plugin page says about a link that is expired, tampered with or for another municipality.</summary>
public static class LinkTexts
{
    public static string InvalidTitle(bool english) => english ? "This link no longer works" : "Deze link werkt niet meer";

    public static string InvalidMessage(bool english) => english
        ? "The link has expired or is not valid. Please start again from the municipality's website."
        : "De link is verlopen of ongeldig. Begin opnieuw via de website van de gemeente.";
}
