using System.Text;
using Microsoft.AspNetCore.Http;

namespace IdContact.Core.Start;

/// <summary>Reads a small request body as text, refusing oversized ones before they are buffered whole.</summary>
public static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "The body is not UTF-8 text.");
        }
    }

    private static StartException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is larger than {MaxBytes} bytes.");
}
