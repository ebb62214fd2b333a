using System.Text.Json.Serialization;

namespace IdContact.Desk.Exchange;

/// <summary>Body of <c>POST /{tenant}/exchange/identify</c>.</summary>
public sealed record IdentifyRequest(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("call_id")] string? CallId,
    [property: JsonPropertyName("caller")] string? Caller = null);

/// <summary>Body of <c>POST /{tenant}/exchange/ended</c>.</summary>
public sealed record CallEndedRequest([property: JsonPropertyName("call_id")] string? CallId);

/// <summary>Answer to identify: "matched", "wrong_code" (with attempts_left), "locked" or "caller_blocked".</summary>
public sealed record IdentifyResponse(
    [property: JsonPropertyName("result")] string Result,
    [property: JsonPropertyName("attempts_left"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? AttemptsLeft = null,
    [property: JsonPropertyName("session_secret"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SessionSecret = null,
    [property: JsonPropertyName("purpose"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Purpose = null)
{
    public static IdentifyResponse Matched(string secret, string purpose) => new("matched", SessionSecret: secret, Purpose: purpose);

    public static IdentifyResponse WrongCode(int attemptsLeft) => new("wrong_code", AttemptsLeft: attemptsLeft);

    public static readonly IdentifyResponse Locked = new("locked", AttemptsLeft: 0);

    /// <summary>The caller number used up its wrong codes for this hour: stop asking for a code on any of its calls.</summary>
    public static readonly IdentifyResponse CallerBlocked = new("caller_blocked", AttemptsLeft: 0);
}

/// <summary>What we POST to the exchange's route URL when an agent takes a call.</summary>
public sealed record RouteCallRequest(
    [property: JsonPropertyName("call_id")] string CallId,
    [property: JsonPropertyName("extension")] string Extension);
