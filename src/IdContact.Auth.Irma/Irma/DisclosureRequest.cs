using System.Text.Json.Nodes;

namespace IdContact.Auth.Irma.Irma;

/// <summary>The body of <c>POST /session</c>: one disjunction per tag, each configured attribute id an alternative.</summary>
public static class DisclosureRequest
{
    public const string Context = "https://irma.app/ld/request/disclosure/v2";

    /// <summary>The request for <paramref name="tags"/>, or null with the first unmapped tag in <paramref name="unmapped"/>.</summary>
    public static JsonObject? For(IReadOnlyList<string> tags, IReadOnlyDictionary<string, List<string>> mapping, out string? unmapped)
    {
        unmapped = null;
        var disclose = new JsonArray();
        foreach (var tag in tags)
        {
            if (!mapping.TryGetValue(tag, out var ids) || ids.Count == 0)
            {
                unmapped = tag;
                return null;
            }

            // [[id1],[id2]]: either credential attribute proves the tag.
            disclose.Add(new JsonArray([.. ids.Select(id => (JsonNode)new JsonArray(JsonValue.Create(id)))]));
        }

        return new JsonObject { ["@context"] = Context, ["disclose"] = disclose };
    }
}
