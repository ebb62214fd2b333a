using System.Security.Claims;
using IdContact.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace IdContact.Desk.Agents;

/// <summary>Stamps the sign-in cookie with the tenant the agent signed in to.</summary>
public sealed class AgentClaimsFactory(
    UserManager<Agent> users,
    RoleManager<IdentityRole> roles,
    IOptions<IdentityOptions> options,
    IHttpContextAccessor http)
    : UserClaimsPrincipalFactory<Agent, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(Agent user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AgentAuthorization.TenantClaim, http.HttpContext!.TenantTag()));
        identity.AddClaim(new Claim("idcontact:name", user.DisplayName));
        return identity;
    }
}
