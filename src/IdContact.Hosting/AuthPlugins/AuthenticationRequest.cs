using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Hosting.AuthPlugins;

/// <summary>A checked <c>start_authentication</c> request (A1), shared by every auth plugin role.</summary>
public sealed partial record AuthenticationRequest(IReadOnlyList<string> Attributes, string Continuation, string? AttrUrl)
{
    public const int MaxAttributes = 50;
    public const int MaxTagLength = 64;
    public const int MaxUrlLength = 2048;

    /// <summary>Reads the request body of <c>start_authentication</c>: the request, or the 4xx problem to answer.</summary>
    public static async Task<(AuthenticationRequest? Request, IResult? Problem)> ReadAsync(HttpContext http)
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType("start_authentication takes application/json."));
        }

        var (body, tooLarge) = await RequestText.ReadAsync(http.Request, http.RequestAborted);
        if (tooLarge)
        {
            return (null, Problems.PayloadTooLarge());
        }

        if (body is null)
        {
            return (null, Problems.BadRequest("Invalid request", "The body is not UTF-8 text."));
        }

        var request = Parse(body, out var error);
        if (request is null)
        {
            return (null, Problems.BadRequest("Invalid request", error));
        }

        var targets = http.RequestServices.GetRequiredService<AllowedTargets>();
        var tenant = http.TenantTag();
        if (!targets.Allows(tenant, request.Continuation, allowTel: true))
        {
            return (null, Problems.BadRequest("Target not allowed", "'continuation' is not on an origin this installation sends residents to."));
        }

        if (request.AttrUrl is not null && !targets.Allows(tenant, request.AttrUrl, allowTel: false))
        {
            return (null, Problems.BadRequest("Target not allowed", "'attr_url' is not on an origin this installation delivers results to."));
        }

        return (request, null);
    }

    /// <summary>Reads and checks the JSON body; on failure <paramref name="error"/> says what is wrong, in one sentence.</summary>
    public static AuthenticationRequest? Parse(string json, out string error)
    {
        using var document = JsonBody.ParseObject(json, out error);
        if (document is null)
        {
            return null;
        }

        var root = document.RootElement;
        var attributes = ReadAttributes(root, ref error);
        if (attributes is null)
        {
            return null;
        }

        var continuation = ReadString(root, "continuation");
        if (continuation is null || !IsUrl(continuation, allowTel: true))
        {
            error = "'continuation' must be an absolute http, https or tel: URL.";
            return null;
        }

        string? attrUrl = null;
        if (root.TryGetProperty("attr_url", out var attrUrlElement) && attrUrlElement.ValueKind != JsonValueKind.Null)
        {
            attrUrl = attrUrlElement.ValueKind == JsonValueKind.String ? attrUrlElement.GetString() : null;
            if (attrUrl is null || !IsUrl(attrUrl, allowTel: false))
            {
                error = "'attr_url', when given, must be an absolute http or https URL.";
                return null;
            }
        }

        return new AuthenticationRequest(attributes, continuation, attrUrl);
    }

    private static List<string>? ReadAttributes(JsonElement root, ref string error)
    {
        if (!root.TryGetProperty("attributes", out var element) || element.ValueKind != JsonValueKind.Array)
        {
            error = "'attributes' must be a list of attribute tags.";
            return null;
        }

        var count = element.GetArrayLength();
        if (count is 0 or > MaxAttributes)
        {
            error = $"'attributes' must list between 1 and {MaxAttributes} attribute tags.";
            return null;
        }

        var tags = new List<string>(count);
        foreach (var item in element.EnumerateArray())
        {
            var tag = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (tag is null || tag.Length > MaxTagLength || !TagPattern().IsMatch(tag))
            {
                error = $"Every attribute tag must be 1 to {MaxTagLength} letters, digits, '_', '-' or '.'.";
                return null;
            }

            if (!tags.Contains(tag, StringComparer.Ordinal))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    private static string? ReadString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    /// <summary>Absolute, printable ASCII only (it becomes a Location header), and of a scheme we deliver to.</summary>
    private static bool IsUrl(string value, bool allowTel)
    {
        if (value.Length is 0 or > MaxUrlLength || value.Any(c => c is <= ' ' or > '~'))
        {
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Scheme switch
        {
            "http" or "https" => uri.Host.Length > 0,
            "tel" => allowTel && value.Length > "tel:".Length,
            _ => false,
        };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex TagPattern();
}
