using IdContact.Core.Discovery;
using IdContact.Core.Plugins;
using IdContact.Core.Shims;
using IdContact.Hosting;
using IdContact.Hosting.AuthPlugins;
using IdContact.Protocol.Messages;
using Microsoft.AspNetCore.Http;

namespace IdContact.Core.Start;

/// <summary>The three start forms of PROTOCOL.md (C2–C5). Every check happens before the first plugin call.</summary>
public sealed class SessionStarter(PluginClient plugins, PublicUrls urls, StateTokens state, CoreMetrics metrics, AllowedTargets targets)
{
    /// <summary>Full start: comm session first, then authentication continuing into it (C2).</summary>
    public async Task<string> FullAsync(string tenantTag, TenantOptions tenant, StartRequest request, CancellationToken ct)
    {
        var catalog = new PurposeCatalog(tenant, urls);
        var purpose = RequirePurpose(catalog, request.Purpose);
        var auth = catalog.AllowedAuth(purpose, request.AuthMethod) ?? throw NotAllowed("auth_method", request.AuthMethod, purpose);
        var comm = catalog.AllowedComm(purpose, request.CommMethod) ?? throw NotAllowed("comm_method", request.CommMethod, purpose);

        var session = RequireDeliverable(tenantTag, comm,
            await plugins.StartCommunicationAsync(Target(comm, "comm", tenantTag), new StartCommunicationRequest(purpose.Tag), ct));
        var clientUrl = await StartAuthenticationAsync(tenantTag, purpose, auth, session.ClientUrl, session.AttrUrl, ct, IsUnder(comm, tenantTag, session.AttrUrl) ? comm.Tag : null);
        metrics.Started(tenantTag, "full", comm.Tag, auth.Tag);
        return clientUrl;
    }

    /// <summary>Comm-only start with an earlier auth result (C3), including the compatibility fallback.</summary>
    public async Task<string> CommOnlyAsync(string tenantTag, TenantOptions tenant, StartRequest request, CancellationToken ct)
    {
        var catalog = new PurposeCatalog(tenant, urls);
        var purpose = RequirePurpose(catalog, request.Purpose);
        var comm = catalog.AllowedComm(purpose, request.CommMethod) ?? throw NotAllowed("comm_method", request.CommMethod, purpose);
        var token = request.AuthResult!;
        var commUrl = Target(comm, "comm", tenantTag);

        var clientUrl = await DeliverCommOnlyAsync(tenantTag, comm, commUrl, purpose, token, ct);
        metrics.Started(tenantTag, "comm_only", comm.Tag, null);
        return clientUrl;
    }

    private async Task<string> DeliverCommOnlyAsync(string tenantTag, CommMethodOptions comm, PluginTarget commUrl, PurposeOptions purpose, string token, CancellationToken ct)
    {
        if (!comm.DisableAttributesAtStart)
        {
            return (await plugins.StartCommunicationAsync(commUrl, new StartCommunicationRequest(purpose.Tag, token), ct)).ClientUrl;
        }

        var session = RequireDeliverable(tenantTag, comm, await plugins.StartCommunicationAsync(commUrl, new StartCommunicationRequest(purpose.Tag), ct));
        if (session.AttrUrl is not null)
        {
            await plugins.DeliverResultAsync(session.AttrUrl, token, ct);
            return session.ClientUrl;
        }

        return UrlWithResult(session.ClientUrl, token);
    }

    /// <summary>Auth-only start, requested by a comm plugin with a verified JWT (C4).</summary>
    public async Task<string> AuthOnlyAsync(string tenantTag, TenantOptions tenant, AuthOnlyRequest request, CancellationToken ct)
    {
        var catalog = new PurposeCatalog(tenant, urls);
        var purpose = RequirePurpose(catalog, request.Purpose);
        var auth = catalog.AllowedAuth(purpose, request.AuthMethod) ?? throw NotAllowed("auth_method", request.AuthMethod, purpose);
        RequireAbsolute("comm_url", request.CommUrl);
        if (request.AttrUrl is not null && !PluginClient.IsAttrUrl(request.AttrUrl))
        {
            // Not tel: as comm_url may be: results are posted there.
            throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "'attr_url' must be an absolute http(s) URL.");
        }

        var clientUrl = await StartAuthenticationAsync(tenantTag, purpose, auth, request.CommUrl!, request.AttrUrl, ct, CommOf(tenantTag, tenant, request.AttrUrl)?.Tag);
        metrics.Started(tenantTag, "auth_only", null, auth.Tag);
        return clientUrl;
    }

    private async Task<string> StartAuthenticationAsync(
        string tenantTag, PurposeOptions purpose, AuthMethodOptions auth, string continuation, string? attrUrl, CancellationToken ct, string? comm = null)
    {
        if (auth.ShimTelUrl && continuation.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            var tel = comm is null || attrUrl is null
                ? new TelShimState(continuation, Tenant: tenantTag)
                : new TelShimState(continuation, attrUrl, comm, tenantTag);
            continuation = urls.Tenant(tenantTag, "/phone?t=" + state.Sign("tel", tel));
        }

        if (auth.DisableAttrUrl && attrUrl is not null)
        {
            // The core itself will post here: an auth-only starter's attr_url passes the same check as a comm plugin's.
            if (!targets.Allows(tenantTag, attrUrl, allowTel: false))
            {
                throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", NotDeliverable);
            }

            continuation = urls.Tenant(tenantTag, "/auth_attr_shim/" + state.Sign("attr", new AttrShimState(attrUrl, continuation)));
            attrUrl = null;
        }

        var request = new StartAuthenticationRequest(purpose.Attributes, continuation, attrUrl);
        return (await plugins.StartAuthenticationAsync(Target(auth, "auth", tenantTag), request, ct)).ClientUrl;
    }

    private const string NotDeliverable = "'attr_url' is not on an origin this installation delivers results to.";

    /// <summary>
    /// A comm plugin's attr_url is where the core (C3 fallback, attr-url shim, phone status) and our auth plugins send
    /// requests: it must lie on an origin they may deliver to (PublicUrl, the tenant's comm methods, TrustedOrigins),
    /// so a plugin, or whoever alters its answer, cannot point them at an internal address or downgrade to http.
    /// </summary>
    private StartCommunicationResponse RequireDeliverable(string tenantTag, CommMethodOptions comm, StartCommunicationResponse session) =>
        session.AttrUrl is null || targets.Allows(tenantTag, session.AttrUrl, allowTel: false)
            ? session
            : throw new PluginException(StatusCodes.Status502BadGateway,
                $"The plugin of comm method '{comm.Tag}' named an attr_url on an origin this installation does not deliver results to.");

    /// <summary>
    /// The tenant's comm method whose plugin an auth-only start's attr_url lies under: its phone page can then follow the
    /// session as a full start's does, and the status call carries that method's key to that plugin alone. Null for an
    /// attr_url anywhere else (the page then shows the code without a status).
    /// </summary>
    private CommMethodOptions? CommOf(string tenantTag, TenantOptions tenant, string? attrUrl) =>
        tenant.CommMethods.FirstOrDefault(c => IsUnder(c, tenantTag, attrUrl));

    /// <summary>
    /// The attr_url lies under the method's own Start URL (normalised first: a "/../" cannot climb out), so the phone
    /// status may carry that method's key there; elsewhere (another plugin, a trusted origin) it gets no key.
    /// </summary>
    private bool IsUnder(CommMethodOptions comm, string tenantTag, string? attrUrl) =>
        Uri.TryCreate(attrUrl, UriKind.Absolute, out var attr)
        && Uri.TryCreate(urls.Resolve(comm.Start, tenantTag) + "/", UriKind.Absolute, out var start)
        && start.Scheme is "http" or "https" && attr.AbsoluteUri.StartsWith(start.AbsoluteUri, StringComparison.Ordinal);

    private PluginTarget Target(MethodOptions method, string kind, string tenantTag) =>
        new(urls.Resolve(method.Start, tenantTag), method.ApiKey, $"{kind} method '{method.Tag}'");

    /// <summary>Appends <c>result=token</c> to a URL's query, keeping any fragment.</summary>
    public static string UrlWithResult(string url, string token)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash >= 0 ? url[hash..] : "";
        var bare = hash >= 0 ? url[..hash] : url;
        var separator = bare.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return bare + separator + "result=" + Uri.EscapeDataString(token) + fragment;
    }

    private static PurposeOptions RequirePurpose(PurposeCatalog catalog, string? tag) =>
        catalog.Purpose(tag) ?? throw new StartException(StatusCodes.Status404NotFound, "Unknown purpose", $"There is no purpose '{tag}'.") { NotOffered = true };

    private static StartException NotAllowed(string field, string? tag, PurposeOptions purpose) =>
        new(StatusCodes.Status400BadRequest, "Method not allowed", $"The {field} '{tag}' is not configured or not allowed for purpose '{purpose.Tag}'.") { NotOffered = true };

    private static void RequireAbsolute(string field, string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "tel"))
        {
            throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", $"'{field}' must be an absolute http(s) or tel: URL.");
        }
    }
}
