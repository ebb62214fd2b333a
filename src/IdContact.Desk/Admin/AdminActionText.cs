using IdContact.Desk.Agents;

namespace IdContact.Desk.Admin;

/// <summary>How an administrator action or a sign-in event reads on the admin and audit pages, Dutch first.</summary>
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
        (AdminActions.SignIn, SignInSteps.Password) => english ? "signed in with password" : "aangemeld met wachtwoord",
        (AdminActions.SignIn, SignInSteps.PasswordAndCode) => english ? "signed in with password and code" : "aangemeld met wachtwoord en code",
        (AdminActions.SignIn, SignInSteps.Provider) => english ? "signed in with the identity provider" : "aangemeld via de inlogdienst",
        (AdminActions.CodeAsked, _) => english ? "right password, code asked" : "wachtwoord juist, code gevraagd",
        (AdminActions.SignInFailed, SignInSteps.Password) => english ? "sign-in failed: wrong password" : "aanmelden mislukt: wachtwoord onjuist",
        (AdminActions.SignInFailed, SignInSteps.Code) => english ? "sign-in failed: wrong code" : "aanmelden mislukt: code onjuist",
        (AdminActions.SignInFailed, _) => english ? "sign-in failed: no account with that name" : "aanmelden mislukt: geen account met die naam",
        (AdminActions.LockedOut, SignInSteps.Code) => english ? "locked after too many wrong codes" : "geblokkeerd na te veel onjuiste codes",
        (AdminActions.LockedOut, _) => english ? "locked after too many wrong passwords" : "geblokkeerd na te veel onjuiste wachtwoorden",
        (AdminActions.SignInRefused, SignInSteps.Provider) => english ? "identity provider sign-in refused: account locked" : "aanmelden via de inlogdienst geweigerd: account geblokkeerd",
        (AdminActions.SignInRefused, SignInSteps.AddressBudget) => english
            ? "sign-in refused: too many failed attempts from one network, for the rest of the hour"
            : "aanmelden geweigerd: te veel mislukte pogingen vanaf één netwerk, de rest van het uur",
        (AdminActions.SignInRefused, _) => english ? "sign-in refused: account locked" : "aanmelden geweigerd: account geblokkeerd",
        (AdminActions.SignOut, _) => english ? "signed out" : "afgemeld",
        (AdminActions.AppointmentAssign, var id) => english ? $"appointment {id} assigned" : $"afspraak {id} toegewezen",
        (AdminActions.AppointmentTake, var id) => english ? $"appointment {id} taken" : $"afspraak {id} aangenomen",
        (AdminActions.AppointmentCancel, var id) => english ? $"appointment {id} cancelled" : $"afspraak {id} geannuleerd",
        (AdminActions.AppointmentNoShow, var id) => english ? $"appointment {id}: resident did not come" : $"afspraak {id}: inwoner niet verschenen",
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
