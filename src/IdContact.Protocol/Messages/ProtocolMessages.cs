using System.Text.Json.Serialization;

namespace IdContact.Protocol.Messages;

// Wire records of PROTOCOL.md. Names are fixed by the published protocol: snake_case, nulls omitted.

/// <summary>Body of <c>POST /start_authentication</c> (core → auth plugin).</summary>
public sealed record StartAuthenticationRequest(
    [property: JsonPropertyName("attributes")] IReadOnlyList<string> Attributes,
    [property: JsonPropertyName("continuation")] string Continuation,
    [property: JsonPropertyName("attr_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AttrUrl = null);

/// <summary>Body of <c>POST /start_communication</c> (core → comm plugin).</summary>
public sealed record StartCommunicationRequest(
    [property: JsonPropertyName("purpose")] string Purpose,
    [property: JsonPropertyName("auth_result"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthResult = null);

/// <summary>Answer of a comm plugin's start.</summary>
public sealed record StartCommunicationResponse(
    [property: JsonPropertyName("client_url")] string ClientUrl,
    [property: JsonPropertyName("attr_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AttrUrl = null);

/// <summary>
/// Answer of <c>GET {attr_url}/status</c> (core → this project's phone plugin, an extension): "waiting", "identified",
/// "expired" or "failed" (the sign-in's result was not a success: no data to pass on, the code still calls). A plugin
/// without it (or a session it no longer knows) answers 404: the page keeps its code.
/// </summary>
public sealed record PhoneStatus([property: JsonPropertyName("state")] string State)
{
    public static readonly IReadOnlySet<string> States = new HashSet<string> { "waiting", "identified", "expired", "failed" };
}

/// <summary>Answer of the core's and an auth plugin's start: where to send the resident.</summary>
public sealed record ClientUrlResponse([property: JsonPropertyName("client_url")] string ClientUrl);

/// <summary>Body of the core's JSON <c>POST /start</c>: full start or comm-only start.</summary>
public sealed record StartRequest(
    [property: JsonPropertyName("purpose")] string? Purpose,
    [property: JsonPropertyName("auth_method"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthMethod = null,
    [property: JsonPropertyName("comm_method"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? CommMethod = null,
    [property: JsonPropertyName("auth_result"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthResult = null);

/// <summary>The <c>request</c> claim of an auth-only start JWT.</summary>
public sealed record AuthOnlyRequest(
    [property: JsonPropertyName("purpose")] string? Purpose,
    [property: JsonPropertyName("auth_method")] string? AuthMethod,
    [property: JsonPropertyName("comm_url")] string? CommUrl,
    [property: JsonPropertyName("attr_url"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AttrUrl = null);

/// <summary>One method as discovery lists it.</summary>
public sealed record MethodOption(
    [property: JsonPropertyName("tag")] string Tag,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("image_path")] string ImagePath);

/// <summary>Answer of <c>GET /session_options/{purpose}</c>.</summary>
public sealed record SessionOptions(
    [property: JsonPropertyName("auth_methods")] IReadOnlyList<MethodOption> AuthMethods,
    [property: JsonPropertyName("comm_methods")] IReadOnlyList<MethodOption> CommMethods);
