using IdContact.Hosting;
using IdContact.Server;
using Microsoft.Extensions.Configuration;

namespace IdContact.Cli;

/// <summary>The server's options as the server itself reads them from its <c>--config</c> and <c>--data</c>.</summary>
public static class ServerOptionsFile
{
    public static IdContactOptions Load(string? config, string? data)
    {
        string[] args = [.. Arg("--config", config), .. Arg("--data", data)];
        var builder = new ConfigurationManager(); // loads each source as it is added, so a bad file fails here
        ServerConfiguration.AddSources(builder, args);
        return ServerConfiguration.Load(builder, ServerRoles.Create());
    }

    private static string[] Arg(string name, string? value) => value is null ? [] : [name, value];
}
