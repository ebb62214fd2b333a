using IdContact.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Agents;

/// <summary>Per-request values every desk page needs: tenant, language, brand and antiforgery token.</summary>
public sealed record DeskPages(string TenantTag, TenantOptions Tenant, bool English, string AntiforgeryField, string AntiforgeryToken)
{
    /// <summary>Branding:Name, else Desk:BrandingName, else DisplayName (as the header shows it, see PageBrand).</summary>
    public string Brand => Tenant.Branding.Name ?? Tenant.Desk().BrandingName ?? Tenant.DisplayName;

    public static DeskPages For(HttpContext http)
    {
        var tokens = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http);
        return new DeskPages(http.TenantTag(), http.Tenant(), http.PrefersEnglish(), tokens.FormFieldName, tokens.RequestToken!);
    }

    /// <summary>
    /// Only local paths of this tenant's desk are followed after sign-in (no open redirect), and only as printable ASCII
    /// without a backslash: a control character or non-ASCII text cannot be written as a Location (Kestrel refuses it: a
    /// 500), and browsers read a backslash as a slash. The sign-in redirect sends the path percent-encoded, as required.
    /// </summary>
    public string SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith($"/{TenantTag}/desk", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && returnUrl.All(c => c is > ' ' and < '\u007f' and not '\\')
            ? returnUrl
            : $"/{TenantTag}/desk";
}
