using System.Linq.Expressions;

namespace IdContact.Desk.Chat;

/// <summary>What a chat line is: text typed by a person, or an event the desk adds.</summary>
public static class ChatKinds
{
    public const string Text = "text";
    public const string Joined = "joined";
    public const string Transferred = "transferred";
    public const string IdentifyRequested = "identify";
    public const string Identified = "identified";
    public const string IdentifyFailed = "identify_failed";

    /// <summary>The agent's account was deleted: the chat went back to the queue or to a colleague.</summary>
    public const string HandedBack = "handed_back";

    /// <summary>Never stored: a line whose text did not decrypt (see <see cref="ChatTextProtector"/>) is shown as this.</summary>
    public const string Unreadable = "unreadable";
}

/// <summary>
/// One line of a chat, in the tenant's database only; deleted with its chat (end, or retention). The text is never
/// logged. <see cref="Sequence"/> orders the conversation; <see cref="ClientId"/> makes a resend after a dropped
/// connection land once.
/// </summary>
public sealed class ChatMessage
{
    /// <summary>Server sequence: the order of the conversation, and what a reconnecting page asks "after".</summary>
    public long Sequence { get; set; }

    public string SessionId { get; set; } = "";

    /// <summary>Chosen by the sender's page (random); (SessionId, ClientId) is unique, so a resend is not stored twice.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>"resident", "agent" or "desk" (events).</summary>
    public string Sender { get; set; } = "";

    public string Kind { get; set; } = ChatKinds.Text;

    /// <summary>The agent's display name on agent lines and on joined/transferred events.</summary>
    public string? AgentName { get; set; }

    /// <summary>Encrypted at rest by <see cref="ChatTextProtector"/> ("dp1:…"); empty on event lines.</summary>
    public string Text { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

/// <summary>
/// Whether an agent takes chats now; in the database so every desk instance agrees. <see cref="Available"/> is the
/// agent's choice; it counts only while a page of theirs renews <see cref="LastSeen"/> (a lease), so an agent who closed
/// the browser, or whose instance died, stops being offered chats without anyone setting them away.
/// </summary>
public sealed class AgentPresence
{
    public string AgentId { get; set; } = "";

    /// <summary>The agent's choice ("Beschikbaar melden" / "Afwezig melden"); a lapsed lease leaves it as it is.</summary>
    public bool Available { get; set; }

    /// <summary>When the choice was made.</summary>
    public DateTimeOffset Since { get; set; }

    /// <summary>When an open page of the agent (or the choice itself) last renewed the lease.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>Takes chats now: chose to be available, and a page of theirs was seen after <paramref name="seenAfter"/>. The one definition every query uses.</summary>
    public static Expression<Func<AgentPresence, bool>> TakesChats(DateTimeOffset seenAfter) => p => p.Available && p.LastSeen > seenAfter;
}
