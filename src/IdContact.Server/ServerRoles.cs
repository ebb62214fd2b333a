using IdContact.Auth.Irma;
using IdContact.Auth.Test;
using IdContact.Comm.Test;
using IdContact.Core;
using IdContact.Desk;
using IdContact.Hosting;

namespace IdContact.Server;

/// <summary>The one list of roles this executable knows. A new role is a new project and one line here.</summary>
public static class ServerRoles
{
    /// <summary>Fresh role objects: each holds the settings it reads, so every server build gets its own.</summary>
    public static IReadOnlyList<IRole> Create() =>
    [
        new CoreRole(),
        new AuthTestRole(),
        new AuthIrmaRole(),
        new CommTestRole(),
        new DeskRole(),
    ];
}
