using Microsoft.AspNetCore.Identity;

namespace IdContact.Desk.Agents;

/// <summary>An employee of one municipality's contact centre (KCC-medewerker).</summary>
public sealed class Agent : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The agent's softphone extension the exchange routes taken calls to.</summary>
    public string? Extension { get; set; }

    /// <summary>Set for a password an administrator handed out: the agent chooses a new one at first sign-in.</summary>
    public bool MustChangePassword { get; set; }
}
