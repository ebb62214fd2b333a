using System.Net;
using IdContact.Desk.Agents;

namespace IdContact.Desk.Tests;

/// <summary>The officer signs in inside the agent workspace's frame, which may never show the access log.</summary>
public abstract partial class PrivacyOfficerTests<TServer>
{
    [Fact]
    public async Task Framed_by_the_workspace_the_officer_lands_on_a_framable_page_that_opens_the_access_log_in_a_new_tab()
    {
        using var officer = await SignInAsync(Tenant, "po-framed", AgentAuthorization.PrivacyRole);
        using var framed = new HttpRequestMessage(HttpMethod.Get, $"/{Tenant}/desk");
        framed.Headers.Add("Sec-Fetch-Dest", "iframe");
        var landing = await officer.Client.SendAsync(framed);
        Assert.Equal(HttpStatusCode.OK, landing.StatusCode);
        Assert.StartsWith("frame-ancestors 'self'", landing.Headers.GetValues("Content-Security-Policy").Single());
        var page = await landing.Content.ReadAsStringAsync();
        var links = page[page.IndexOf("<ul id=\"officer-pages\">", StringComparison.Ordinal)..];
        // Marked as the staff menu marks them, so framed-links.js opens them in a new tab and shows the hint.
        Assert.Matches($"<a [^>]*href=\"/{Tenant}/desk/admin/access-log\"[^>]* data-unframed[^>]*>Inzage-log<span [^>]*data-unframed-hint[^>]*><span aria-hidden=\"true\"> ↗</span><span class=\"sr-only\"> \\(opent in een nieuw tabblad\\)</span></span></a>", links);
        Assert.Matches($"<a [^>]*href=\"/{Tenant}/desk/admin/audit\"[^>]* data-unframed[^>]*>Beheeracties<span", links);

        // Not framed (a top-level page, or a browser that does not say): the access log, as before.
        foreach (var dest in new[] { "document", null })
        {
            using var top = new HttpRequestMessage(HttpMethod.Get, $"/{Tenant}/desk");
            if (dest is not null)
            {
                top.Headers.Add("Sec-Fetch-Dest", dest);
            }

            var start = await officer.Client.SendAsync(top);
            Assert.Equal(HttpStatusCode.SeeOther, start.StatusCode);
            Assert.Equal($"/{Tenant}/desk/admin/access-log", start.Headers.Location?.OriginalString);
        }
    }
}
