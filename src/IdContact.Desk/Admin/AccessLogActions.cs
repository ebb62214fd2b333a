using IdContact.Desk.Video;

namespace IdContact.Desk.Admin;

/// <summary>The actions the desk writes to the access audit (<see cref="Agents.AuditRecord.Action"/>), with human labels.</summary>
public static class AccessLogActions
{
    public const string View = "view";
    public const string Take = "take";
    public const string Transfer = "transfer";

    public static readonly IReadOnlyList<string> Known = [View, Take, Transfer, AppointmentCancellation.AuditAction, AppointmentStore.LinkCallAuditAction];

    /// <summary>Dutch first; an action this version does not know is shown as written.</summary>
    public static string Label(string action, bool english) => action switch
    {
        View => english ? "viewed the data" : "gegevens bekeken",
        Take => english ? "took the contact" : "contact aangenomen",
        Transfer => english ? "transferred the chat" : "chat overgedragen",
        AppointmentCancellation.AuditAction => english ? "cancelled the appointment" : "afspraak geannuleerd",
        AppointmentStore.LinkCallAuditAction => english ? "planned a video call for the caller" : "videogesprek gepland voor de beller",
        _ => action,
    };
}
