using System.Text.Json.Serialization;

namespace IdContact.Auth.Irma.Irma;

// The IRMA server's requestor API as documented by the Yivi project (irmago): field names and values are fixed there.

/// <summary>What the Yivi app needs to find a session: shown as QR code or passed to the app link.</summary>
public sealed record SessionPointer(
    [property: JsonPropertyName("u")] string Url,
    [property: JsonPropertyName("irmaqr")] string Type);

/// <summary>Answer of <c>POST /session</c>: the pointer for the app and the requestor's own session token.</summary>
public sealed record StartSessionResponse(
    [property: JsonPropertyName("sessionPtr")] SessionPointer? SessionPtr,
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("frontendRequest")] FrontendRequest? FrontendRequest = null);

public sealed record FrontendRequest(
    [property: JsonPropertyName("authorization")] string Authorization,
    [property: JsonPropertyName("minProtocolVersion")] string MinProtocolVersion,
    [property: JsonPropertyName("maxProtocolVersion")] string MaxProtocolVersion);

/// <summary>Answer of <c>GET /session/{token}/result</c>.</summary>
public sealed record SessionResult(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("proofStatus"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ProofStatus,
    [property: JsonPropertyName("disclosed"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<IReadOnlyList<DisclosedAttribute>>? Disclosed);

/// <summary>One disclosed attribute: <c>rawvalue</c> is the value as in the credential, <c>value</c> its translations.</summary>
public sealed record DisclosedAttribute(
    [property: JsonPropertyName("rawvalue")] string? RawValue,
    [property: JsonPropertyName("value")] IReadOnlyDictionary<string, string>? Value,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("issuancetime")] long IssuanceTime);

/// <summary>The IRMA server's error body.</summary>
public sealed record IrmaError(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("description")] string Description);

/// <summary>Values of a session's <c>status</c>.</summary>
public static class SessionStatus
{
    public const string Initialized = "INITIALIZED";
    public const string Pairing = "PAIRING";
    public const string Connected = "CONNECTED";
    public const string Cancelled = "CANCELLED";
    public const string Done = "DONE";
    public const string Timeout = "TIMEOUT";

    /// <summary>The session will not change any more: its result can be fetched.</summary>
    public static bool IsFinished(string? status) => status is Cancelled or Done or Timeout;
}

/// <summary>Values of a result's <c>proofStatus</c> and of an attribute's <c>status</c>.</summary>
public static class ProofStatus
{
    public const string Valid = "VALID";
    public const string Invalid = "INVALID";
    public const string InvalidTimestamp = "INVALID_TIMESTAMP";
    public const string UnmatchedRequest = "UNMATCHED_REQUEST";
    public const string MissingAttributes = "MISSING_ATTRIBUTES";
    public const string Expired = "EXPIRED";

    public const string AttributePresent = "PRESENT";
    public const string AttributeExtra = "EXTRA";
    public const string AttributeNull = "NULL";
}
