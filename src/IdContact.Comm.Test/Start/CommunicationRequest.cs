using System.Text.Json;

namespace IdContact.Comm.Test.Start;

/// <summary>A checked <c>start_communication</c> request.</summary>
public sealed record CommunicationRequest(string Purpose, string? AuthResult)
{
    public const int MaxPurposeLength = 100;

    /// <summary>Reads and checks the JSON body; on failure <paramref name="error"/> says what is wrong, in one sentence.</summary>
    public static CommunicationRequest? Parse(string json, out string error)
    {
        error = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException)
        {
            error = "The body is not valid JSON.";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The body must be a JSON object.";
                return null;
            }

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
}
