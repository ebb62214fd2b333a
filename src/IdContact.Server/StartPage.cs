using IdContact.Hosting;

namespace IdContact.Server;

/// <summary>The demo start page at "/": pick a municipality, a purpose and methods, and walk a flow.</summary>
public static class StartPage
{
    public static void MapStartPage(this WebApplication app, HashSet<string> roles)
    {
        if (!roles.Contains(Roles.Core))
        {
            return;
        }

        app.MapGet("/", () => Results.Text("IdContact", "text/plain")).ExcludeFromDescription();
    }
}
