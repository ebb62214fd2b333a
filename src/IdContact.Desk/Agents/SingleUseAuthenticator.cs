using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace IdContact.Desk.Agents;

/// <summary>The last TOTP time step an agent signed in (or turned TOTP on) with.</summary>
public sealed class AuthenticatorUse
{
    public string AgentId { get; set; } = "";

    public long LastStep { get; set; }
}

/// <summary>
/// Identity's authenticator codes (RFC 6238), but each time step counts once per agent: a code someone read over a
/// shoulder or through a phishing proxy cannot be replayed while it is still current.
/// </summary>
public sealed class SingleUseAuthenticator(DeskDbContext db, TimeProvider time) : AuthenticatorTokenProvider<Agent>
{
    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<Agent> manager, Agent user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        // One step either side for clock drift (RFC 6238 §6); the step that matched is what counts once.
        var totp = new Totp(Base32Encoding.ToBytes(key));
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, token, out var step, new VerificationWindow(previous: 1, future: 1))
            && await ClaimAsync(user.Id, step);
    }

    /// <summary>Moves the agent's last step forward; the condition in the update makes one of two racing sign-ins lose.</summary>
    private async Task<bool> ClaimAsync(string agentId, long step)
    {
        var moved = await db.AuthenticatorUses.Where(u => u.AgentId == agentId && u.LastStep < step)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.LastStep, step));
        if (moved == 1)
        {
            return true;
        }

        if (await db.AuthenticatorUses.AnyAsync(u => u.AgentId == agentId))
        {
            return false;
        }

        var first = new AuthenticatorUse { AgentId = agentId, LastStep = step };
        db.AuthenticatorUses.Add(first);
        try
        {
            await db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException e) when (StoreErrors.IsUniqueViolation(e))
        {
            // A parallel first use inserted the row: that one wins.
            db.Entry(first).State = EntityState.Detached;
            return false;
        }
    }
}
