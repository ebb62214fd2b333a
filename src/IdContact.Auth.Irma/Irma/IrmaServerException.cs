namespace IdContact.Auth.Irma.Irma;

/// <summary>The IRMA server failed us: no answer in time, unreachable, an error status, or an answer we cannot use.</summary>
public sealed class IrmaServerException(string message, bool timedOut = false, int? status = null) : Exception(message)
{
    public bool TimedOut { get; } = timedOut;

    public int? Status { get; } = status;
}
