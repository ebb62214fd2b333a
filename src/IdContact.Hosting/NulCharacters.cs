using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Primitives;

namespace IdContact.Hosting;

/// <summary>
/// No text with a NUL character (U+0000) gets in: PostgreSQL refuses it in any text parameter (22021), so a NUL in an
/// id, a query value or a field would reach a lookup as an exception, where SQLite just finds nothing. No page, program
/// or exchange sends one, so the request is refused where its values enter: route, query and form here, JSON bodies
/// in <see cref="JsonBody"/>, hub arguments in <see cref="NulHubArguments"/>.
/// </summary>
public static class NulCharacters
{
    public static bool In(string? text) => text is not null && text.Contains('\0');

    public static bool In(StringValues values) => values.Any(In);

    /// <summary>Any string in the document, property names included.</summary>
    public static bool In(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => In(element.GetString()),
        JsonValueKind.Array => element.EnumerateArray().Any(In),
        JsonValueKind.Object => element.EnumerateObject().Any(p => In(p.Name) || In(p.Value)),
        _ => false,
    };

    /// <summary>Serializer options that refuse a string with a NUL as malformed JSON (a <see cref="JsonException"/>).</summary>
    public static JsonSerializerOptions RefusingJson { get; } = new() { Converters = { new RefusingConverter() } };

    /// <summary>
    /// Right after routing (so the endpoint's form limits apply): a NUL in a route value, a query name or value, or a
    /// form field is a 400 problem before sign-in, antiforgery, a hub's negotiation or a handler runs; so is a form in a
    /// charset .NET refuses to decode (415). A form that cannot be read otherwise is left to the endpoint, which refuses
    /// it as before.
    /// </summary>
    public static IApplicationBuilder UseNulRefusal(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            // Before anything reads the form: an endpoint's binding would meet the same exception as a 500.
            if (FormBody.HasUnsupportedCharset(http.Request))
            {
                await Problems.Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "The form's charset is not supported; send UTF-8.").ExecuteAsync(http);
                return;
            }

            if (http.Request.RouteValues.Values.Any(v => v is string s && In(s))
                || http.Request.Query.Any(q => In(q.Key) || In(q.Value))
                || (http.Request.HasFormContentType && await FormBody.ReadAsync(http.Request, http.RequestAborted) is { } form
                    && form.Any(f => In(f.Key) || In(f.Value))))
            {
                await Problems.BadRequest("Invalid request", "The request contains a NUL character.").ExecuteAsync(http);
                return;
            }

            await next(http);
        });

    private sealed class RefusingConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString();
            return In(text) ? throw new JsonException("A string contains a NUL character.") : text;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>
/// A hub call with a NUL in a string argument is answered with null (nothing found, nothing done) without running the
/// method: no such id exists, and no page sends one. A thrown refusal would be logged as the hub's error.
/// </summary>
public sealed class NulHubArguments : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next) =>
        invocationContext.HubMethodArguments.Any(a => a is string s && NulCharacters.In(s))
            ? ValueTask.FromResult<object?>(null)
            : next(invocationContext);
}
