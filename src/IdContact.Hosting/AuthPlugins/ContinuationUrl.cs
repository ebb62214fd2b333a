namespace IdContact.Hosting.AuthPlugins;

/// <summary>Where the browser goes after an authentication (A1).</summary>
public static class ContinuationUrl
{
    /// <summary>
    /// With a result to carry (no attr_url), appends <c>result=&lt;token&gt;</c> to the query, keeping any fragment.
    /// A <c>tel:</c> continuation is returned as it is: a dialer takes no query.
    /// </summary>
    public static string With(string continuation, string? token)
    {
        if (token is null || continuation.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            return continuation;
        }

        var hash = continuation.IndexOf('#');
        var fragment = hash < 0 ? "" : continuation[hash..];
        var url = hash < 0 ? continuation : continuation[..hash];
        var separator = !url.Contains('?') ? "?" : url.EndsWith('?') || url.EndsWith('&') ? "" : "&";
        return url + separator + "result=" + Uri.EscapeDataString(token) + fragment;
    }
}
