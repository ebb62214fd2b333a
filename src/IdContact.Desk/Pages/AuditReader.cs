using IdContact.Desk.Agents;
using Microsoft.AspNetCore.Http;

namespace IdContact.Desk.Pages;

/// <summary>Who reads the administration and log pages, as their menu (<see cref="AuditNav"/>) needs it.</summary>
/// <param name="IsAdmin">Manages accounts: only then is that page linked.</param>
/// <param name="IsOfficer">The data protection officer: no contacts to go back to; sign-out lives in this menu.</param>
public sealed record AuditReader(bool IsAdmin, bool IsOfficer, string AntiforgeryField, string AntiforgeryToken)
{
    public static AuditReader Of(HttpContext http, DeskPages page) =>
        new(http.User.IsInRole(AgentAuthorization.AdminRole), http.User.IsPrivacyOfficer(), page.AntiforgeryField, page.AntiforgeryToken);

    /// <summary>On the account management page, which only administrators reach.</summary>
    public static readonly AuditReader Administrator = new(true, false, "", "");
}
