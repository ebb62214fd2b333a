using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using IdContact.Desk.Tenants;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

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

        var secret = Base32(key);
        var now = time.GetUtcNow().ToUnixTimeSeconds() / 30;
        // One step either side for clock drift (RFC 6238 §6).
        for (var step = now - 1; step <= now + 1; step++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Code(secret, step)), Encoding.ASCII.GetBytes(token)))
            {
                return await ClaimAsync(user.Id, step);
            }
        }

        return false;
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
        catch (DbUpdateException)
        {
            // A parallel first use inserted the row: that one wins.
            db.Entry(first).State = EntityState.Detached;
            return false;
        }
    }

    private static string Code(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(secret, counter);
        var offset = hash[^1] & 0x0f;
        var binary = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7fffffff;
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        int bits = 0, value = 0;
        var output = new List<byte>();
        foreach (var index in text.TrimEnd('=').ToUpperInvariant().Select(c => alphabet.IndexOf(c, StringComparison.Ordinal)).Where(i => i >= 0))
        {
            value = ((value << 5) | index) & 0xffff; // 16 bits hold the at most 12 pending ones
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
