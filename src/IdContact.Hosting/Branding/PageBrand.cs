using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Hosting;

/// <summary>What a page's head and header show of its municipality: name, logo and the two style sheets.</summary>
public sealed record PageBrand(string Name, string? LogoUrl, string StyleHref, string? BrandHref)
{
    /// <summary>The municipality's own website (Branding:WebsiteUrl), the way back from a resident's last page.</summary>
    public string? WebsiteUrl { get; init; }

    /// <summary>Resident pages: Branding:Name, else DisplayName. A page outside any tenant gets the plain look.</summary>
    public static PageBrand For(HttpContext http) => HasTenant(http)
        ? For(http, http.Tenant().Branding.Name ?? http.Tenant().DisplayName)
        : new PageBrand("ID Contact", null, http.Request.PathBase + StyleSheets.SharedHref, null);

    private static bool HasTenant(HttpContext http) =>
        http.GetRouteValue(TenantRouting.RouteValue) is string tag
        && http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value.Tenants.ContainsKey(tag);

    private static PageBrand For(HttpContext http, string name)
    {
        var tenant = http.Tenant();
        var pathBase = http.Request.PathBase.Value ?? "";
        var logo = tenant.Branding.LogoUrl is { } url && url.StartsWith('/') ? pathBase + url : tenant.Branding.LogoUrl;
        return new PageBrand(name, logo, pathBase + StyleSheets.SharedHref, pathBase + StyleSheets.BrandHref(http.TenantTag(), tenant.Branding))
        {
            WebsiteUrl = tenant.Branding.WebsiteUrl,
        };
    }
}
