using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Primitives;

namespace IdContact.Hosting;

/// <summary>
/// The exception handler clears the response headers before it writes its 500 or <see cref="StoreUnavailable"/>'s 503,
/// so what the roles' header middleware set before it (HSTS above all) would be lost on exactly those answers.
/// </summary>
public static class HeadersOnProblems
{
    /// <summary>
    /// Runs after the roles' header middleware (<see cref="Roles.IRole.UseResponseHeaders"/>): the headers they set
    /// are put back when the response starts, unless the response has its own value for them by then.
    /// </summary>
    public static IApplicationBuilder UseHeadersOnProblems(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        if (http.Response.Headers.Count > 0)
        {
            var set = http.Response.Headers.Select(h => KeyValuePair.Create(h.Key, h.Value)).ToArray();
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                foreach (var (name, value) in set)
                {
                    if (StringValues.IsNullOrEmpty(headers[name]))
                    {
                        headers[name] = value;
                    }
                }

                return Task.CompletedTask;
            });
        }

        return next(http);
    });
}
