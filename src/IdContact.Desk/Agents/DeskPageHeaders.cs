using IdContact.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>
/// Pages with personal data are never cached or leaked through referrers. Only the tenant's own agent workspace
/// (Desk:EmbedOrigins) may frame them, and only the agent's working pages: the administration, the access log and
/// the account pages are never framed, so an embedding page cannot overlay their buttons (clickjacking).
/// </summary>
public static class DeskPageHeaders
{
    public static IApplicationBuilder UseDeskPageHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // Lower case, as routing matches paths whatever their case: /Arnhem/ID reaches the same page as /arnhem/id.
        var segments = http.Request.Path.Value?.ToLowerInvariant().Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (IsDeskPage(segments) || IsResidentPage(segments))
        {
            // Set once, when the response starts: after the exception handler, which clears the headers before its 500
            // or 503 (StoreUnavailable), so those carry them too; on the path as it came in.
            http.Response.OnStarting(() =>
            {
                Apply(http, segments);
                return Task.CompletedTask;
            });
        }

        await next(http);
    });

    /// <summary>Sets the headers of a desk or resident page by the request's path segments (lower case).</summary>
    private static void Apply(HttpContext http, string[] segments)
    {
        var headers = http.Response.Headers;
        if (IsDeskPage(segments))
        {
            // The same values antiforgery insists on, so it need not override (and warn about) ours.
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
            headers["Referrer-Policy"] = "no-referrer";
            headers["X-Content-Type-Options"] = "nosniff";
            if (IsWorkspacePage(segments))
            {
                var options = http.RequestServices.GetRequiredService<IOptions<IdContactOptions>>().Value;
                var embed = options.Tenants.TryGetValue(segments[0], out var tenant) ? string.Join(' ', tenant.Desk().EmbedOrigins) : "";
                headers.ContentSecurityPolicy = $"frame-ancestors 'self' {embed}".TrimEnd();
            }
            else
            {
                // X-Frame-Options as well, for browsers that ignore frame-ancestors.
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
                headers.XFrameOptions = "DENY";
            }

            return;
        }

        // The resident's pages: never cached (the URL is the capability; the code page shows a live code; the
        // confirmation shows the call and cancel links), no referrer, same-origin code only; the call page may use
        // camera and microphone. Never framed: the widget opens them in the top window (location.assign), and a
        // framed page's posts would be same-origin.
        headers.CacheControl = "no-cache, no-store";
        headers["Referrer-Policy"] = "no-referrer";
        headers["X-Content-Type-Options"] = "nosniff";
        headers["Permissions-Policy"] = "camera=(self), microphone=(self)";
        headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https:; media-src 'self' blob: mediastream:; connect-src 'self'; form-action 'self' https: http:; frame-ancestors 'none'";
    }

    /// <summary>
    /// Whether the agent workspace may frame the desk page at <paramref name="path"/> (<c>/{tenant}/desk/…</c>, no query):
    /// the staff menu marks its links to the others, which open outside the frame when framed (framed-links.js).
    /// </summary>
    public static bool MayBeFramed(string path) => IsWorkspacePage(path.ToLowerInvariant().Split('/', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>
    /// Whether the browser says this request loads a frame (Fetch Metadata <c>Sec-Fetch-Dest: iframe</c> or <c>frame</c>):
    /// a navigation inside the workspace's frame. Null when it says nothing (a browser without Fetch Metadata, such as
    /// Safari before 16.4, or plain http off loopback). Page script cannot set the header; it only chooses between two
    /// safe answers, so it need not be proof.
    /// </summary>
    public static bool? LoadsIntoFrame(HttpRequest request) => request.Headers["Sec-Fetch-Dest"].ToString() switch
    {
        "" => null,
        "iframe" or "frame" => true,
        _ => false,
    };

    private static bool IsDeskPage(string[] segments) => segments.Length >= 2 && segments[1] == "desk";

    /// <summary>
    /// A desk page an agent workspace may frame (lower case): the overview, the per-call page, the queue, Beller
    /// identificeren, the chats, the video calls and appointments, and the sign-in and password pages (a framed page whose
    /// session ended sends the agent there, in the frame). Everything else, also a page added later, is never framed: the
    /// administration with staffing, access log and audit (<c>admin</c>), the two-factor pages (one click turns it off).
    /// </summary>
    private static bool IsWorkspacePage(string[] segments) => segments switch
    {
        [_, "desk"] => true,
        [_, "desk", "calls" or "contacts" or "identify" or "availability" or "chats" or "chat" or "video" or "appointments", ..] => true,
        // The password page too: a first sign-in is sent there in the frame, and it acts only on typed passwords.
        [_, "desk", "login" or "logout" or "oidc" or "password", ..] => true,
        _ => false,
    };

    /// <summary>
    /// A resident's page, by path (lower case): the web code pages (<c>/id…</c>), the chat (<c>/chat/c/…</c>,
    /// <c>/chat/new</c>) and the video appointment's booking, confirmation, call, cancel and cancelled pages
    /// (<c>/video/book|booked|join|cancel|cancelled/…</c>).
    /// Not the plugins' APIs (<c>start_communication</c>, <c>attr</c>) nor the hubs.
    /// </summary>
    private static bool IsResidentPage(string[] segments) => segments switch
    {
        [_, "id", ..] => true,
        [_, "chat", "c" or "new", ..] => true,
        [_, "video", "book" or "booked" or "join" or "cancel" or "cancelled", ..] => true,
        _ => false,
    };
}
