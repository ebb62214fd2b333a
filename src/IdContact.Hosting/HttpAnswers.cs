using System.Text.Json;

namespace IdContact.Hosting;

/// <summary>How a call to another service (plugin, core, IRMA server) fails in ways its caller answers with a fixed reply, never a 500.</summary>
public static class HttpAnswers
{
    /// <summary>
    /// A body that is not JSON, or whose declared charset .NET cannot or will not decode (charset=utf-7: NotSupportedException;
    /// an unknown one: InvalidOperationException).
    /// </summary>
    public static bool IsUnreadable(Exception e) => e is JsonException or NotSupportedException or InvalidOperationException;

    /// <summary>The service could not be reached, did not answer in time, or answered unreadably.</summary>
    public static bool IsFailedCall(Exception e) => e is HttpRequestException or TaskCanceledException || IsUnreadable(e);
}
