using IdContact.Desk.Agents;

namespace IdContact.Desk.Admin;

/// <summary>How an administrator action reads on the admin and audit pages, Dutch first.</summary>
public static class AdminActionText
{
    public static string Describe(AdminAuditRecord entry, bool english) => (entry.Action, entry.Detail) switch
    {
        (AdminActions.Create, null) => english ? "created" : "aangemaakt",
        (AdminActions.Create, AgentAuthorization.PrivacyRole) => english ? "created as data protection officer" : "aangemaakt als functionaris gegevensbescherming",
        (AdminActions.Create, _) => english ? "created as administrator" : "aangemaakt als beheerder",
        (AdminActions.Delete, _) => english ? "deleted" : "verwijderd",
        (AdminActions.Reset, _) => english ? "password reset" : "wachtwoord hersteld",
        (AdminActions.Extension, null) => english ? "extension removed" : "toestel verwijderd",
        (AdminActions.Extension, var extension) => (english ? "extension set to " : "toestel ingesteld op ") + extension,
        (AdminActions.Role, "+" + AgentAuthorization.AdminRole) => english ? "made administrator" : "beheerder gemaakt",
        (AdminActions.Role, "-" + AgentAuthorization.AdminRole) => english ? "administrator role revoked" : "beheerrechten ingetrokken",
        (AdminActions.Role, "+" + AgentAuthorization.PrivacyRole) => english ? "made data protection officer" : "functionaris gegevensbescherming gemaakt",
        (AdminActions.Role, "-" + AgentAuthorization.PrivacyRole) => english ? "data protection officer role revoked" : "rol functionaris gegevensbescherming ingetrokken",
        (AdminActions.AccessLog, var filter) => (english ? "access log viewed: " : "inzage-log bekeken: ") + (filter ?? (english ? "everything" : "alles")),
        (AdminActions.AccessLogExport, var filter) => (english ? "access log downloaded: " : "inzage-log gedownload: ") + (filter ?? (english ? "everything" : "alles")),
        (var action, null) => action,
        (var action, var detail) => $"{action} {detail}",
    };

    /// <summary>The notice after a role change, followed by the user name.</summary>
    public static string RoleNotice(string role, bool grant, bool english) => (role, grant) switch
    {
        (AgentAuthorization.PrivacyRole, true) => english ? "Now a data protection officer: " : "Nu functionaris gegevensbescherming: ",
        (AgentAuthorization.PrivacyRole, false) => english ? "No longer a data protection officer: " : "Geen functionaris gegevensbescherming meer: ",
        (_, true) => english ? "Now an administrator: " : "Nu beheerder: ",
        (_, false) => english ? "No longer an administrator: " : "Geen beheerder meer: ",
    };
}
