using System.Security.Cryptography;
using IdContact.Desk.Chat;
using Microsoft.AspNetCore.Identity;

namespace IdContact.Desk.Agents;

/// <summary>Creating agents and handing out one-time passwords (P8), shared by the admin pages and the CLI.</summary>
public static class AgentAccounts
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>A 20-character password from an alphabet without look-alikes, plus a digit and a symbol for the policy.</summary>
    public static string NewOneTimePassword() =>
        RandomNumberGenerator.GetString(Alphabet, 18) + RandomNumberGenerator.GetInt32(10) + "-";

    /// <param name="role">Null for a plain agent, else one of <see cref="AgentAuthorization.Roles"/>.</param>
    public static async Task<(Agent? Agent, string? Password, IEnumerable<string> Errors)> CreateAsync(
        UserManager<Agent> users, string userName, string displayName, string? extension, string? role)
    {
        if (role is not null && !AgentAuthorization.Roles.Contains(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role of the desk.");
        }

        // The admin page names this on its field first; the CLI comes here directly.
        if (DisplayNames.HasHidden(displayName))
        {
            return (null, null, ["The display name may not contain invisible or control characters (such as U+202E, a text direction override, or a line break)."]);
        }

        if (DisplayNames.HasMarkPile(displayName))
        {
            return (null, null, [$"The display name may carry at most {ChatRules.MaxCombiningMarks} combining marks (accents) in a row on one letter."]);
        }

        var agent = new Agent
        {
            UserName = userName,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName,
            Extension = string.IsNullOrWhiteSpace(extension) ? null : extension.Trim(),
            MustChangePassword = true,
            LockoutEnabled = true,
        };
        var password = NewOneTimePassword();
        var created = await users.CreateAsync(agent, password);
        if (!created.Succeeded)
        {
            return (null, null, created.Errors.Select(e => e.Description));
        }

        if (role is not null)
        {
            await users.AddToRoleAsync(agent, role);
        }

        return (agent, password, []);
    }

    /// <summary>Replaces the password with a new one-time password and lifts a lockout.</summary>
    public static async Task<string?> ResetPasswordAsync(UserManager<Agent> users, Agent agent)
    {
        var password = NewOneTimePassword();
        var token = await users.GeneratePasswordResetTokenAsync(agent);
        var reset = await users.ResetPasswordAsync(agent, token, password);
        if (!reset.Succeeded)
        {
            return null;
        }

        agent.MustChangePassword = true;
        await users.UpdateAsync(agent);
        await users.SetLockoutEndDateAsync(agent, null);
        await users.ResetAccessFailedCountAsync(agent);
        return password;
    }
}
