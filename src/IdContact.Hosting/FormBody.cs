using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace IdContact.Hosting;

/// <summary>Reads a posted HTML form without letting a malformed or oversized one become a 500.</summary>
public static class FormBody
{
    /// <summary>The form, or null when it is malformed or too large.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// A form whose declared charset .NET will not decode (UTF-7 is disabled): reading it throws
    /// <see cref="NotSupportedException"/>, which the framework's own form binding and antiforgery check do not catch.
    /// </summary>
    public static bool HasUnsupportedCharset(HttpRequest request)
    {
        if (!request.HasFormContentType || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
        {
            return false;
        }

        try
        {
            _ = type.Encoding;
            return false;
        }
        catch (NotSupportedException)
        {
            return true;
        }
    }

    /// <summary>The first value of a field, or null when it is absent.</summary>
    public static string? First(StringValues values) => values.Count > 0 ? values[0] : null;
}
