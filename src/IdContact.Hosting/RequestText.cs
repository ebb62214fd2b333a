using System.Text;
using Microsoft.AspNetCore.Http;

namespace IdContact.Hosting;

/// <summary>Reads a small request body as UTF-8 text, refusing oversized ones before they are buffered whole.</summary>
public static class RequestText
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The body text, or null when it is larger than <see cref="MaxBytes"/> or not UTF-8.</summary>
    public static async Task<(string? Text, bool TooLarge)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, true);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, true);
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), false);
        }
        catch (DecoderFallbackException)
        {
            return (null, false);
        }
    }
}
