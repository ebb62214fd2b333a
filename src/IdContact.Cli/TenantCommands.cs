using System.CommandLine;
using IdContact.Desk.Admin;

namespace IdContact.Cli;

/// <summary>
/// <c>tenant remove --tenant T</c>: deletes what a municipality taken out of the configuration left behind (its desk
/// database); without <c>--yes</c> it only lists it.
/// </summary>
public static class TenantCommands
{
    public static Command Create(CliIo io)
    {
        var tenant = new Option<string>("--tenant") { HelpName = "TAG", Description = "the removed municipality's tag, e.g. arnhem", Required = true };
        var config = new Option<string?>("--config") { HelpName = "FILE.json", Description = "the server's JSON configuration, without this municipality (default: embedded demo)" };
        var data = new Option<string?>("--data") { HelpName = "DIR", Description = "the server's data directory" };
        var yes = new Option<bool>("--yes") { Description = "delete it (without: only list what is left)" };
        var remove = new Command("remove", "Delete the database of a municipality no longer in the configuration (without --yes: list it).") { tenant, config, data, yes };
        remove.SetAction(async (parse, ct) =>
        {
            var options = ServerOptionsFile.Load(parse.GetValue(config), parse.GetValue(data));
            var tag = parse.GetValue(tenant)!;
            var apply = parse.GetValue(yes);
            var (found, errors) = await TenantRemoval.RunAsync(options, tag, apply, ct);
            if (errors.Count > 0)
            {
                return io.Fail(string.Join(Environment.NewLine, errors));
            }

            if (found.Count == 0)
            {
                io.Out.WriteLine($"Nothing of municipality '{tag}' is left.");
                return 0;
            }

            foreach (var item in found)
            {
                io.Out.WriteLine($"{(apply ? "Removed" : "Left")}: {item}");
            }

            if (!apply)
            {
                io.Out.WriteLine("Run again with --yes to delete it (back it up first if the municipality's policy asks for it).");
            }

            return 0;
        });
        return new Command("tenant", "Municipalities.") { remove };
    }
}
