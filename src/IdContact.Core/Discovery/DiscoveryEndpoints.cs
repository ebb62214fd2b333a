using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Core.Discovery;

/// <summary><c>GET /session_options[/{purpose}]</c> (C1).</summary>
public static class DiscoveryEndpoints
{
    public static void MapDiscovery(this RouteGroupBuilder tenant)
    {
        tenant.MapGet("/session_options", (HttpContext http, PublicUrls urls) =>
                Results.Ok(new PurposeCatalog(http.Tenant(), urls, http.Request.Query["lang"] == "en").AllOptions()))
            .WithName("AllSessionOptions")
            .WithSummary("The allowed auth and comm methods of every purpose.");

        tenant.MapGet("/session_options/{purpose}", (HttpContext http, PublicUrls urls, string purpose) =>
            {
                var catalog = new PurposeCatalog(http.Tenant(), urls, http.Request.Query["lang"] == "en");
                var found = catalog.Purpose(purpose);
                return found is null
                    ? Problems.NotFound("Unknown purpose", $"There is no purpose '{purpose}'.")
                    : Results.Ok(catalog.Options(found));
            })
            .WithName("SessionOptions")
            .WithSummary("The allowed auth and comm methods of one purpose.");
    }
}
