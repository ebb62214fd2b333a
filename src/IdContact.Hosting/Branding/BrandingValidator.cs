using System.Globalization;
using System.Text.RegularExpressions;

namespace IdContact.Hosting;

/// <summary>Checks a tenant's branding: colour format, logo address, and WCAG 2.1 AA contrast of every pair we draw.</summary>
public static partial class BrandingValidator
{
    /// <summary>WCAG 2.1 AA (1.4.3) for normal-size text.</summary>
    public const double MinimumContrast = 4.5;

    /// <summary>WCAG 2.1 AA (1.4.11) for the edge of a control against the page.</summary>
    public const double MinimumNonTextContrast = 3.0;

    // Defaults the pages fall back to when a colour is not set (the Utrecht theme's own values).
    public const string DefaultPrimary = "#24578f";
    public const string DefaultPrimaryText = "#ffffff";
    public const string DefaultBackground = "#ffffff";
    public const string DefaultText = "#000000";
    public const string DefaultLink = "#24578f";

    public static void Validate(string tenantTag, BrandingOptions branding, List<string> problems, bool demo = false)
    {
        var at = $"Tenants:{tenantTag}:Branding";
        if (branding.Name is { } name && string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{at}:Name is empty; leave it out to use DisplayName.");
        }

        if (branding.LogoUrl is { } logo && !IsLogoUrl(logo))
        {
            problems.Add($"{at}:LogoUrl '{logo}' is neither an https URL nor a path on this server starting with '/'.");
        }

        if (branding.WebsiteUrl is { } website && !IsWebsiteUrl(website, demo))
        {
            problems.Add($"{at}:WebsiteUrl '{website}' is not an https URL (http only in demo mode or for localhost).");
        }

        var colours = new (string Key, string? Value)[]
        {
            ("PrimaryColor", branding.PrimaryColor), ("PrimaryTextColor", branding.PrimaryTextColor),
            ("BackgroundColor", branding.BackgroundColor), ("TextColor", branding.TextColor), ("LinkColor", branding.LinkColor),
        };
        var valid = true;
        foreach (var (key, value) in colours.Where(c => c.Value is not null && !IsHexColor(c.Value)))
        {
            problems.Add($"{at}:{key} '{value}' is not a colour like #1a5fb4.");
            valid = false;
        }

        if (!valid)
        {
            return;
        }

        var primary = branding.PrimaryColor ?? DefaultPrimary;
        var background = branding.BackgroundColor ?? DefaultBackground;
        CheckPair(at, "PrimaryColor", primary, "PrimaryTextColor", branding.PrimaryTextColor ?? DefaultPrimaryText, MinimumContrast, problems);
        CheckPair(at, "TextColor", branding.TextColor ?? DefaultText, "BackgroundColor", background, MinimumContrast, problems);
        CheckPair(at, "LinkColor", branding.LinkColor ?? DefaultLink, "BackgroundColor", background, MinimumContrast, problems);
        // A primary button must stand out from the page (1.4.11 non-text contrast).
        CheckPair(at, "PrimaryColor", primary, "BackgroundColor", background, MinimumNonTextContrast, problems);
    }

    /// <summary>"#rgb" or "#rrggbb": the only form that goes into brand.css, so a setting cannot inject CSS.</summary>
    public static bool IsHexColor(string? value) => value is not null && HexPattern().IsMatch(value);

    public static bool IsLogoUrl(string value) =>
        (value.StartsWith('/') && !value.StartsWith("//", StringComparison.Ordinal) && !value.Contains('\\', StringComparison.Ordinal))
        || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>An absolute https URL; plain http only where nothing real is at stake (the demo, a loopback host).</summary>
    public static bool IsWebsiteUrl(string value, bool demo) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && (demo || uri.IsLoopback)));

    /// <summary>The WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05) of two hex colours.</summary>
    public static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    /// <summary>Relative luminance (WCAG 2.x): sRGB channels linearised, weighted 0.2126 R + 0.7152 G + 0.0722 B.</summary>
    public static double Luminance(string hex)
    {
        var digits = hex[1..];
        if (digits.Length == 3)
        {
            digits = string.Concat(digits.Select(c => new string(c, 2)));
        }

        double Channel(int i)
        {
            var c = int.Parse(digits.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(0)) + (0.7152 * Channel(1)) + (0.0722 * Channel(2));
    }

    private static void CheckPair(string at, string firstKey, string first, string secondKey, string second, double needed, List<string> problems)
    {
        var ratio = Contrast(first, second);
        if (ratio < needed)
        {
            // Rounded down, so a ratio just under the limit never reads as the limit itself.
            var shown = (Math.Floor(ratio * 10) / 10).ToString("0.0", CultureInfo.InvariantCulture);
            problems.Add($"{at}:{firstKey} '{first}' has a contrast of {shown}:1 with {secondKey} '{second}'; WCAG 2.1 AA needs {needed.ToString("0.#", CultureInfo.InvariantCulture)}:1.");
        }
    }

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexPattern();
}
