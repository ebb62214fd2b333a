using IdContact.Hosting;
using IdContact.Protocol.Keys;

namespace IdContact.Desk;

/// <summary>The contact desk role's process-wide settings (section "Desk").</summary>
public sealed class DeskOptions
{
    /// <summary>"Sqlite" (one file per tenant under DataDirectory/desk) or "Postgres" (one database per tenant).</summary>
    public string DatabaseProvider { get; set; } = "Sqlite";

    /// <summary>PostgreSQL server connection string without a database; each tenant gets database "idcontact_{tenant}".</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL only: the database shared by all tenants that holds the used-result keys. Every instance of one
    /// installation must name the same one; a separate installation on the same server (a test run) names its own.
    /// SQLite keeps it in {DataDirectory}/desk/_installation.db.
    /// </summary>
    public string InstallationDatabase { get; set; } = DefaultInstallationDatabase;

    /// <summary>The installation database of releases before <see cref="InstallationDatabase"/> was configurable.</summary>
    public const string DefaultInstallationDatabase = "idcontact__installation";

    /// <summary>When set, the desk's start_communication endpoints require "Authorization: Bearer {ApiKey}" (the core's method ApiKey).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Private key the desk decrypts auth results with (PKCS#8); a tenant may have its own.</summary>
    public KeyConfig? DecryptionKey { get; set; }

    /// <summary>
    /// Keys being retired after a change of <see cref="DecryptionKey"/>, tried after it: results from auth plugins not
    /// yet given the new public key, and results stored before the change, still open.
    /// </summary>
    public List<KeyConfig> PreviousDecryptionKeys { get; set; } = [];

    /// <summary>Public keys of the auth plugins whose signatures the desk trusts.</summary>
    public List<KeyConfig> VerificationKeys { get; set; } = [];

    /// <summary>Sessions and their data are deleted this long after the last activity (P11, M3).</summary>
    public int RetentionMinutes { get; set; } = 60;

    /// <summary>
    /// Audit records (who saw which session's data; administrator actions) are deleted this long after they were
    /// written: complaints and investigations must be answerable for a year, but a trail of contacts is personal data too.
    /// </summary>
    public int AuditRetentionDays { get; set; } = 365;

    /// <summary>
    /// A view of a session's data by an agent who has a recorded view of it less than this many minutes old is not
    /// recorded again: the overview renders again on every change, and a row per render made a year's audit hundreds of
    /// millions of rows that answer nothing more than "this agent had it on screen from then". 0 records every view.
    /// </summary>
    public int AuditViewWindowMinutes { get; set; } = 10;

    /// <summary>
    /// Agent pages also fetch their list this often, whatever the live updates do: when Redis (the backplane) is down,
    /// changes made on another instance arrive this way.
    /// </summary>
    public int AgentRefreshSeconds { get; set; } = 30;

    /// <summary>How often the retention service looks for stale sessions.</summary>
    public int RetentionSweepSeconds { get; set; } = 60;

    /// <summary>
    /// How often each instance re-checks the accounts of its open agent hub connections (AgentHubConnections): a revoked
    /// account's connection that never calls is closed within this time on every instance.
    /// </summary>
    public int HubRecheckSeconds { get; set; } = 15;

    /// <summary>Redis connection for the SignalR backplane when several desk instances run; empty for one.</summary>
    public string? Redis { get; set; }

    /// <summary>Serve the exchange simulator page (/{tenant}/exchange-simulator) so a person can play the caller. Demo only.</summary>
    public bool ExchangeSimulator { get; set; }

    /// <summary>
    /// Private key (PKCS#8) the desk signs auth-only starts with when an agent asks a chatting resident to identify (C4);
    /// its public half is registered in each tenant's StarterKeys at the core under <see cref="StarterKeyId"/>.
    /// Without it, identification during a chat is not offered.
    /// </summary>
    public KeyConfig? StarterKey { get; set; }

    /// <summary>The JWS <c>kid</c> of <see cref="StarterKey"/>, the name it has in the tenants' StarterKeys.</summary>
    public string StarterKeyId { get; set; } = "desk";

    /// <summary>
    /// Base URL of the core the desk asks for session_options and auth-only starts; this installation's PublicUrl when
    /// absent. Empty is no way to say absent: start-up refuses it as <c>config check</c> does (DeskValidator, one rule).
    /// </summary>
    public string? CoreUrl { get; set; }

    /// <summary>Messages one chat's resident may send per minute; more are refused until the minute is over.</summary>
    public int ChatMessagesPerMinute { get; set; } = 30;

    /// <summary>The agents' presence for chats, the same on every instance (section "Desk:Chat").</summary>
    public DeskChatOptions Chat { get; set; } = new();

    /// <summary>Create administrator "demo" and data protection officer "demo-fg" per tenant when it has no agents; credentials go to {DataDirectory}/demo-agents.txt. Demo only.</summary>
    public bool SeedDemoAgents { get; set; }

    /// <summary>The SMTP server for appointment e-mail (video).</summary>
    public Video.MailOptions Mail { get; set; } = new();

    /// <summary>The video call: ICE servers (STUN, TURN with time-limited credentials) and signalling limits (section "Desk:Video").</summary>
    public Video.VideoCallOptions Video { get; set; } = new();
}

/// <summary>One municipality's desk settings (section "Tenants:{tag}:Desk").</summary>
public sealed class TenantDeskOptions
{
    /// <summary>The number residents call, international format, e.g. "+31263770000".</summary>
    public string PhoneNumber { get; set; } = "";

    /// <summary>Digits in the DTMF code (6–12): 10^length possible codes; see docs/exchange-api.md for the odds.</summary>
    public int DtmfLength { get; set; } = 6;

    public int DtmfLifetimeMinutes { get; set; } = 15;

    /// <summary>Wrong codes one caller number may enter per hour, over all its calls; withheld numbers share one count.</summary>
    public int WrongCodesPerCallerPerHour { get; set; } = 10;

    /// <summary>More wrong codes than this within a minute, tenant-wide, log a warning and count an alert metric.</summary>
    public int WrongCodeAlertPerMinute { get; set; } = 20;

    /// <summary>Link to the municipality's own system; "{attribute}" placeholders are filled in URL-encoded, e.g. "https://zaken.example/zoek?bsn={bsn}".</summary>
    public string? ExternalLinkTemplate { get; set; }

    /// <summary>Label of that link, e.g. "Open in zaaksysteem".</summary>
    public string ExternalLinkLabel { get; set; } = "Open in zaaksysteem";

    /// <summary>Secret the telephone exchange sends as "Authorization: Bearer …" on every call to us.</summary>
    public string? ExchangeApiKey { get; set; }

    /// <summary>The exchange's endpoint we POST {call_id, extension} to when an agent takes a call.</summary>
    public string? ExchangeRouteUrl { get; set; }

    /// <summary>Secret we send as "Authorization: Bearer …" on calls to the exchange.</summary>
    public string? ExchangeRouteApiKey { get; set; }

    /// <summary>Origins allowed to frame the agent pages, e.g. an agent workspace that embeds /{tenant}/desk/calls/{callId}.</summary>
    public List<string> EmbedOrigins { get; set; } = [];

    /// <summary>This municipality's own decryption key (PKCS#8); when absent, Desk:DecryptionKey is used.</summary>
    public KeyConfig? DecryptionKey { get; set; }

    /// <summary>This municipality's keys being retired, tried after its <see cref="DecryptionKey"/>.</summary>
    public List<KeyConfig> PreviousDecryptionKeys { get; set; } = [];

    /// <summary>Name shown on the agent pages, e.g. "KCC Arnhem".</summary>
    public string? BrandingName { get; set; }

    /// <summary>Video appointments: opening hours, slots, parallel desks, link window.</summary>
    public Video.VideoOptions Video { get; set; } = new();

    /// <summary>The chat channel's settings (section "Tenants:{tag}:Desk:Chat").</summary>
    public TenantChatOptions Chat { get; set; } = new();

    /// <summary>Identifying a caller on the web with a code the agent reads out (section "Tenants:{tag}:Desk:WebCode").</summary>
    public Phone.WebCodeOptions WebCode { get; set; } = new();

    /// <summary>How agents sign in: desk passwords, the municipality's identity provider, or both (section "Tenants:{tag}:Desk:SignIn").</summary>
    public SignIn.DeskSignInOptions SignIn { get; set; } = new();
}

/// <summary>
/// How the desk knows an agent is still there (section "Desk:Chat"): an open agent page renews a lease every
/// <see cref="PresenceRenewSeconds"/>; an available agent counts only while the lease, <see cref="PresenceLeaseSeconds"/>, runs.
/// </summary>
public sealed class DeskChatOptions
{
    /// <summary>How often an open overview or conversation page renews the agent's lease (1–300).</summary>
    public int PresenceRenewSeconds { get; set; } = 30;

    /// <summary>
    /// How long after the last renewal an available agent still counts (at least twice the renewal, at most 3600):
    /// room for a lost renewal, and for a background tab whose timers the browser slows to once a minute.
    /// </summary>
    public int PresenceLeaseSeconds { get; set; } = 90;

    /// <summary><see cref="PresenceRenewSeconds"/> as a span: what the code uses (computed, not a setting of its own).</summary>
    public TimeSpan PresenceRenew => TimeSpan.FromSeconds(PresenceRenewSeconds);

    /// <summary><see cref="PresenceLeaseSeconds"/> as a span: what the code uses (computed, not a setting of its own).</summary>
    public TimeSpan PresenceLease => TimeSpan.FromSeconds(PresenceLeaseSeconds);

    /// <summary>
    /// Chats of an agent none of whose pages renewed for this long go back to the queue or a colleague (0: never; else
    /// at least the lease, at most a day). Long enough for a page reload or a short network loss; short beside how long
    /// a resident will wait for an answer.
    /// </summary>
    public int HandBackAfterMinutes { get; set; } = 3;

    /// <summary>
    /// Line breaks one chat message may hold (0–2000): a line of hundreds of breaks is taller than the other side's
    /// screen and longer than its screen reader can speak.
    /// </summary>
    public int MaxLineBreaks { get; set; } = Chat.ChatRules.DefaultMaxLineBreaks;

    /// <summary>
    /// Seconds (1–300) the agent's conversation page waits, after the resident's page closed or lost its connection,
    /// before saying the resident is no longer connected; a reload or short network drop returns within it.
    /// </summary>
    public int ResidentGoneSeconds { get; set; } = Chat.ResidentConnections.DefaultGraceSeconds;
}

/// <summary>One municipality's chat settings (section "Tenants:{tag}:Desk:Chat").</summary>
public sealed class TenantChatOptions
{
    /// <summary>
    /// Opening hours by English weekday name ("monday" … "sunday"), each a comma list of "HH:mm-HH:mm" ranges in
    /// Europe/Amsterdam time; a day left out is closed. Empty: always open.
    /// </summary>
    public Dictionary<string, string> OpeningHours { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dates (yyyy-MM-dd) on which the chat is closed, e.g. public holidays.</summary>
    public List<string> ClosedDays { get; set; } = [];

    /// <summary>Chats one agent may hold at once (1–20).</summary>
    public int MaxChatsPerAgent { get; set; } = 4;

    /// <summary>A new chat goes straight to the least busy available agent instead of being offered to all.</summary>
    public bool AutoAssign { get; set; }

    /// <summary>Purposes whose chat may start without identification (at <c>/{tenant}/chat/new?purpose=</c>); the agent can ask for it during the chat.</summary>
    public List<string> PurposesWithoutIdentification { get; set; } = [];

    /// <summary>Where a resident can make a video appointment instead, shown when no agent is available.</summary>
    public string? AppointmentUrl { get; set; }

    /// <summary>Standard texts (*standaardteksten*) the agent puts in the message box with one press, edits and sends.</summary>
    public List<QuickReply> QuickReplies { get; set; } = [];
}

/// <summary>One standard text of the chat: a short button label and the text it puts in the message box.</summary>
public sealed class QuickReply
{
    public string Label { get; set; } = "";

    public string Text { get; set; } = "";
}

public static class DeskOptionsExtensions
{
    /// <summary>The desk's process-wide settings (section "Desk").</summary>
    public static DeskOptions Desk(this IdContactOptions options) => options.Settings<DeskOptions>();

    /// <summary>The desk's settings for one municipality (section "Tenants:{tag}:Desk").</summary>
    public static TenantDeskOptions Desk(this TenantOptions tenant) => tenant.Settings<TenantDeskOptions>();
}
