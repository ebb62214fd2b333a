using System.CommandLine;
using IdContact.Desk.Admin;
using IdContact.Desk.Agents;
using IdContact.Server;

namespace IdContact.Cli;

/// <summary>
/// <c>admin create --tenant T --user U</c>: the first administrator of a municipality, with a one-time password; with
/// <c>--privacy</c> its data protection officer instead, so that account need not come from the administrators it oversees.
/// </summary>
public static class AdminCommands
{
    public static Command Create(CliIo io)
    {
        var tenant = new Option<string>("--tenant") { HelpName = "TAG", Description = "the municipality's tag, e.g. arnhem", Required = true };
        var user = new Option<string>("--user") { HelpName = "NAME", Description = "user name of the account", Required = true };
        var name = new Option<string?>("--name") { HelpName = "DISPLAY-NAME", Description = "display name" };
        var extension = new Option<string?>("--extension") { HelpName = "EXT", Description = "softphone extension" };
        var config = new Option<string?>("--config") { HelpName = "FILE.json", Description = "the server's JSON configuration (default: embedded demo)" };
        var data = new Option<string?>("--data") { HelpName = "DIR", Description = "the server's data directory" };
        var privacy = new Option<bool>("--privacy") { Description = "a data protection officer (reads the access log, manages no accounts) instead of an administrator" };
        var create = new Command("create", "Create an administrator (or a data protection officer) and print a one-time password.") { tenant, user, name, extension, config, data, privacy };
        create.SetAction(async (parse, ct) =>
        {
            try
            {
                var options = ServerOptionsFile.Load(parse.GetValue(config), parse.GetValue(data));
                var officer = parse.GetValue(privacy);
                var (password, errors) = await AdminBootstrap.CreateAdminAsync(
                    options, parse.GetValue(tenant)!, parse.GetValue(user)!, parse.GetValue(name), parse.GetValue(extension),
                    officer ? AgentAuthorization.PrivacyRole : AgentAuthorization.AdminRole, ct);
                if (password is null)
                {
                    return io.Fail(string.Join(Environment.NewLine, errors));
                }

                io.Out.WriteLine($"{(officer ? "Data protection officer" : "Administrator")} '{parse.GetValue(user)}' created for '{parse.GetValue(tenant)}'.");
                io.Out.WriteLine($"One-time password (choose a new one at first sign-in): {password}");
                return 0;
            }
            catch (ConfigurationProblemsException e)
            {
                return io.Fail(e.Message);
            }
        });
        return new Command("admin", "Agent accounts.") { create };
    }
}
