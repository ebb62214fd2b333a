namespace IdContact.Hosting;

/// <summary>
/// One municipality's look on the resident and agent pages (section "Tenants:{tag}:Branding"). Colours are
/// "#rrggbb" and become NL Design System design tokens; start-up refuses a pair below WCAG 2.1 AA contrast.
/// </summary>
public sealed class BrandingOptions
{
    /// <summary>Name in the page header; falls back to the tenant's DisplayName (agent pages: Desk:BrandingName first).</summary>
    public string? Name { get; set; }

    /// <summary>An https URL or a path on this server ("/…"); shown in the header with the name as alt text.</summary>
    public string? LogoUrl { get; set; }

    /// <summary>
    /// The municipality's own website: the resident's end and notice pages link back to it ("Terug naar de website van
    /// …"). An https URL; http only in demo mode or for a loopback host. Without it those pages have no such link.
    /// </summary>
    public string? WebsiteUrl { get; set; }

    /// <summary>Background of primary buttons and the header bar.</summary>
    public string? PrimaryColor { get; set; }

    /// <summary>Text on <see cref="PrimaryColor"/>.</summary>
    public string? PrimaryTextColor { get; set; }

    /// <summary>Page background.</summary>
    public string? BackgroundColor { get; set; }

    /// <summary>Body text and headings.</summary>
    public string? TextColor { get; set; }

    /// <summary>Links and secondary buttons (text on <see cref="BackgroundColor"/>).</summary>
    public string? LinkColor { get; set; }
}
