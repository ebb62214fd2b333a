using IdContact.Hosting;
using Microsoft.AspNetCore.Http;

namespace IdContact.Auth.Irma.Irma;

/// <summary>The IRMA server failed us: no answer in time, unreachable, an error status, or an answer we cannot use.</summary>
public sealed class IrmaServerException(string message, bool timedOut = false, int? status = null) : Exception(message)
{
    public bool TimedOut { get; } = timedOut;

    public int? Status { get; } = status;

    /// <summary>What a machine caller of this role gets: 504 when the IRMA server was too slow, 502 otherwise.</summary>
    public IResult ToProblem() => TimedOut
        ? Problems.GatewayTimeout("IRMA server too slow", Message)
        : Problems.BadGateway("IRMA server failed", Message);
}
