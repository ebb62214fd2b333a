namespace IdContact.Desk.Tenants.Migrations;

/// <summary>
/// Before the AgentHoldsForeignKeys migration adds its keys: what a database still holds for accounts deleted before
/// the hand-back existed (or by the race the keys close) is handed back as <see cref="Admin.AgentRelease"/> would, so
/// adding the keys cannot fail. Plain SQL both providers run alike; frozen with that migration, never follow the model.
/// </summary>
internal static class OrphanHolders
{
    private const string Orphan = "\"AgentId\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"AspNetUsers\" u WHERE u.\"Id\" = {0}.\"AgentId\")";

    public static readonly string[] Clear =
    [
        // A web identification of a caller (phone, no call): nobody else can take it, so it ends and its data goes.
        "DELETE FROM \"Sessions\" WHERE \"Channel\" = 'phone' AND \"CallId\" IS NULL AND " + string.Format(Orphan, "\"Sessions\""),
        // Chats, taken calls and opened video calls back to the queue (state 1), held by nobody.
        "UPDATE \"Sessions\" SET \"State\" = 1, \"AgentId\" = NULL WHERE " + string.Format(Orphan, "\"Sessions\""),
        // Video appointments to nobody, so every agent sees and may take them.
        "UPDATE \"Appointments\" SET \"AgentId\" = NULL WHERE " + string.Format(Orphan, "\"Appointments\""),
        "DELETE FROM \"AgentPresence\" WHERE " + string.Format(Orphan, "\"AgentPresence\""),
    ];
}
