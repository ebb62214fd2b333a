using System.Text;

namespace IdContact.Hosting;

/// <summary>A tenant's colours as NL Design System design tokens (custom properties on the theme class).</summary>
public static class BrandCss
{
    // Which Utrecht tokens (and ours, --idc-*) each setting drives.
    private static readonly (Func<BrandingOptions, string?> Colour, string[] Tokens)[] Map =
    [
        (b => b.PrimaryColor, [
            "--utrecht-button-primary-action-background-color", "--utrecht-button-primary-action-hover-background-color",
            "--utrecht-button-primary-action-focus-background-color", "--idc-header-background-color"]),
        (b => b.PrimaryTextColor, [
            "--utrecht-button-primary-action-color", "--utrecht-button-primary-action-hover-color",
            "--utrecht-button-primary-action-focus-color", "--idc-header-color"]),
        (b => b.BackgroundColor, [
            "--utrecht-document-background-color", "--utrecht-page-background-color", "--utrecht-page-body-content-background-color",
            "--utrecht-button-secondary-action-background-color", "--utrecht-button-secondary-action-hover-background-color",
            "--utrecht-textbox-background-color", "--idc-card-background-color"]),
        (b => b.TextColor, [
            "--utrecht-document-color", "--utrecht-page-color", "--utrecht-page-body-content-color", "--utrecht-heading-color",
            "--utrecht-textbox-color", "--utrecht-form-label-color", "--utrecht-table-cell-color", "--utrecht-table-header-cell-color"]),
        (b => b.LinkColor, [
            "--utrecht-link-color", "--utrecht-link-hover-color", "--utrecht-link-focus-color", "--utrecht-link-visited-color",
            "--utrecht-link-active-color", "--utrecht-button-secondary-action-color", "--utrecht-button-secondary-action-border-color",
            "--utrecht-button-secondary-action-hover-color", "--utrecht-button-secondary-action-hover-border-color"]),
    ];

    /// <summary>Only well-formed hex colours are written (start-up refuses others), so a setting cannot inject CSS.</summary>
    public static string For(BrandingOptions branding)
    {
        var css = new StringBuilder("/* This municipality's colours (Tenants:{tag}:Branding). */\n.utrecht-theme {\n");
        foreach (var (colour, tokens) in Map)
        {
            if (colour(branding) is { } value && BrandingValidator.IsHexColor(value))
            {
                foreach (var token in tokens)
                {
                    css.Append("  ").Append(token).Append(": ").Append(value.ToLowerInvariant()).Append(";\n");
                }
            }
        }

        return css.Append("}\n").ToString();
    }
}
