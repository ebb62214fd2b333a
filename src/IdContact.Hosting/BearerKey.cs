using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Hosting;

/// <summary>"Authorization: Bearer {key}" on calls between our roles: the core authenticates itself to our plugins.</summary>
public static class BearerKey
{
    /// <summary>
    /// When the role has a key configured, a call without it, or with another, is a 401 problem before the body is read.
    /// Without a key the endpoint stays open, as foreign ID Contact cores expect.
    /// </summary>
    public static TBuilder RequireBearerKey<TBuilder>(this TBuilder builder, Func<IdContactOptions, string?> key)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var expected = key(http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value);
            if (string.IsNullOrEmpty(expected) || Matches(http.Request, expected))
            {
                return await next(context);
            }

            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Make(StatusCodes.Status401Unauthorized, "Not authorised", "This endpoint takes calls only from this installation's core, with its key.");
        });

    /// <summary>Constant-time comparison, so the answer time tells a guesser nothing about the key.</summary>
    public static bool Matches(HttpRequest request, string expected)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }
}
