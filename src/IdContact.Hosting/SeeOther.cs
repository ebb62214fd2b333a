using Microsoft.AspNetCore.Http;

namespace IdContact.Hosting;

/// <summary>303 See Other: after a POST the browser follows with a GET, as the protocol's redirects intend.</summary>
public sealed class SeeOther(string location) : IResult
{
    public string Location { get; } = location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
