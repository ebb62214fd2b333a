namespace IdContact.Desk.Sessions;

/// <summary>A contact's channel (<see cref="ContactSession.Channel"/>) as stored, sent to the agents' pages and counted in metrics.</summary>
public static class Channels
{
    public const string Phone = "phone";
    public const string Chat = "chat";
    public const string Video = "video";
}
