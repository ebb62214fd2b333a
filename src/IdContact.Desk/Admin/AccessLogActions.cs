using IdContact.Desk.Agents;
using IdContact.Desk.Video;

namespace IdContact.Desk.Admin;

/// <summary>The actions the desk writes to the access audit (<see cref="AuditRecord.Action"/>), with human labels.</summary>
public static class AccessLogActions
{
    public static readonly IReadOnlyList<string> Known = [AuditActions.View, AuditActions.Take, AuditActions.Transfer, AuditActions.Release, AuditActions.ReleaseAbsent, AppointmentCancellation.AuditAction, AppointmentStore.LinkCallAuditAction];

    /// <summary>Dutch first; an action this version does not know is shown as written.</summary>
    public static string Label(string action, bool english) => action switch
    {
        AuditActions.View => english ? "viewed the data" : "gegevens bekeken",
        AuditActions.Take => english ? "took the contact" : "contact aangenomen",
        AuditActions.Transfer => english ? "transferred the chat" : "chat overgedragen",
        AuditActions.Release => english ? "handed back (account deleted)" : "teruggegeven (account verwijderd)",
        AuditActions.ReleaseAbsent => english ? "handed back (agent not reachable)" : "teruggegeven (medewerker niet bereikbaar)",
        AppointmentCancellation.AuditAction => english ? "cancelled the appointment" : "afspraak geannuleerd",
        AppointmentStore.LinkCallAuditAction => english ? "planned a video call for the caller" : "videogesprek gepland voor de beller",
        _ => action,
    };
}
