namespace IdContact.Desk.Chat;

/// <summary>What a chat message may be: plain text up to <see cref="MaxLength"/> characters, shown as text, never as markup.</summary>
public static class ChatRules
{
    public const int MaxLength = 2000;

    /// <summary>Null when the text may be sent; otherwise the reason, for the sender (Dutch first).</summary>
    public static string? Refusal(string? text, bool english)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return english ? "Type a message first." : "Typ eerst een bericht.";
        }

        return text.Length > MaxLength
            ? english ? $"A message can be at most {MaxLength} characters long." : $"Een bericht mag hoogstens {MaxLength} tekens lang zijn."
            : null;
    }

    /// <summary>The page's own id of a message: 8–64 URL-safe characters.</summary>
    public static bool IsClientId(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>A chat line as both pages receive it.</summary>
public sealed record ChatLine(long Seq, string ClientId, string Sender, string Kind, string? AgentName, string Text, DateTimeOffset At)
{
    /// <summary>The line of a stored message with its text as shown (<see cref="ChatTextProtector"/>); null text = could not be read.</summary>
    public static ChatLine Of(ChatMessage m, string? text) => text is null
        ? new(m.Sequence, m.ClientId, m.Sender, ChatKinds.Unreadable, m.AgentName, "", m.At)
        : new(m.Sequence, m.ClientId, m.Sender, m.Kind, m.AgentName, text, m.At);
}

/// <summary>Where a chat stands, for the resident's page.</summary>
/// <param name="Position">Place in the queue (1 = next) while waiting.</param>
public sealed record ChatStatus(string State, int Position, string? AgentName);
