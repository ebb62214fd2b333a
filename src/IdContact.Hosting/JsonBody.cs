using System.Text.Json;

namespace IdContact.Hosting;

/// <summary>Parses a request body that must be one JSON object, with a shallow depth limit.</summary>
public static class JsonBody
{
    /// <summary>The parsed document (the caller disposes it), or null with a one-sentence <paramref name="error"/>.</summary>
    public static JsonDocument? ParseObject(string json, out string error)
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

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            error = "The body must be a JSON object.";
            return null;
        }

        if (NulCharacters.In(document.RootElement))
        {
            document.Dispose();
            error = "The body contains a NUL character.";
            return null;
        }

        return document;
    }
}
