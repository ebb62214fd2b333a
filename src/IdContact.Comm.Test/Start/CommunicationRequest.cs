using System.Text.Json;
using IdContact.Hosting;

namespace IdContact.Comm.Test.Start;

/// <summary>A checked <c>start_communication</c> request.</summary>
public sealed record CommunicationRequest(string Purpose, string? AuthResult)
{
    public const int MaxPurposeLength = 100;

    /// <summary>Reads and checks the JSON body; on failure <paramref name="error"/> says what is wrong, in one sentence.</summary>
    public static CommunicationRequest? Parse(string json, out string error)
    {
        using var document = JsonBody.ParseObject(json, out error);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var purpose = root.TryGetProperty("purpose", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (string.IsNullOrWhiteSpace(purpose) || purpose.Length > MaxPurposeLength || purpose.Any(char.IsControl))
        {
            error = $"'purpose' must be a purpose tag of 1 to {MaxPurposeLength} characters.";
            return null;
        }

        string? authResult = null;
        if (root.TryGetProperty("auth_result", out var a) && a.ValueKind != JsonValueKind.Null)
        {
            authResult = a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(authResult))
            {
                error = "'auth_result', when given, must be an auth-result token.";
                return null;
            }
        }

        return new CommunicationRequest(purpose, authResult);
    }
}
