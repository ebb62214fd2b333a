using System.Security.Cryptography;
using System.Text;
using IdContact.Desk.Sessions;
using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace IdContact.Desk.Exchange;

/// <summary>The telephone exchange's API (P4, P9); see docs/exchange-api.md. Bearer API key per tenant.</summary>
public static class ExchangeEndpoints
{
    public static void MapExchange(this IEndpointRouteBuilder app)
    {
        var exchange = app.MapTenantGroup("/exchange").WithTags("Exchange").RequireRateLimiting(RateLimits.Exchange);
        exchange.AddEndpointFilter(async (context, next) =>
            IsAuthorized(context.HttpContext)
                ? await next(context)
                : Problems.Make(StatusCodes.Status401Unauthorized, "Unauthorized", "Send the municipality's exchange API key as 'Authorization: Bearer <key>'."));

        exchange.MapPost("/identify", async (HttpContext http, CallIdentification calls, DeskMetrics metrics) =>
            {
                var (request, problem) = await DeskRequest.ReadJsonAsync<IdentifyRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }

                if (string.IsNullOrWhiteSpace(request!.CallId) || request.CallId.Length > 128 || string.IsNullOrWhiteSpace(request.Code) || request.Code.Length > 16
                    || request.Caller is { Length: > 64 })
                {
                    return Problems.BadRequest("Invalid request", "Send 'code' (the digits the caller entered), 'call_id' (at most 128 characters) and optionally 'caller' (at most 64).");
                }

                var response = await calls.IdentifyAsync(http.TenantTag(), request.Code.Trim(), request.CallId, request.Caller, http.RequestAborted);
                metrics.Identify(http.TenantTag(), response.Result);
                return Results.Ok(response);
            })
            .WithName("ExchangeIdentify")
            .WithSummary("The caller entered a code: matched, wrong_code (attempts_left), locked or caller_blocked.");

        exchange.MapPost("/ended", async (HttpContext http, CallIdentification calls) =>
            {
                var (request, problem) = await DeskRequest.ReadJsonAsync<CallEndedRequest>(http);
                if (problem is not null)
                {
                    return problem;
                }

                if (string.IsNullOrWhiteSpace(request!.CallId) || request.CallId.Length > 128)
                {
                    return Problems.BadRequest("Invalid request", "Send 'call_id'.");
                }

                var deleted = await calls.EndedAsync(http.TenantTag(), request.CallId, http.RequestAborted);
                return Results.Ok(new { deleted });
            })
            .WithName("ExchangeCallEnded")
            .WithSummary("The call ended: its session and data are deleted at once.");
    }

    private static bool IsAuthorized(HttpContext http) =>
        http.Tenant().Desk().ExchangeApiKey is { Length: > 0 } key && BearerKey.Matches(http.Request, key);
}
