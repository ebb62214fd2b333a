using IdContact.Hosting;
using Microsoft.AspNetCore.Http;

namespace IdContact.Core.Start;

/// <summary>Reads a start request's body as text; oversize or non-UTF-8 bodies end the request with a 4xx.</summary>
public static class RequestBody
{
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken ct)
    {
        var (text, tooLarge) = await RequestText.ReadAsync(request, ct);
        if (tooLarge)
        {
            throw new StartException(StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is larger than {RequestText.MaxBytes} bytes.");
        }

        return text ?? throw new StartException(StatusCodes.Status400BadRequest, "Invalid request", "The body is not UTF-8 text.");
    }
}
