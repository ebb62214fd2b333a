using IdContact.Auth.Irma.Irma;
using IdContact.Protocol.Tokens;

namespace IdContact.Auth.Irma.Session;

/// <summary>Why a finished IRMA session gives a failed result; each has its own message for the resident.</summary>
public enum FailureReason
{
    Cancelled,
    TimedOut,
    InvalidProof,
    Incomplete,
}

/// <summary>Turns an IRMA result into an auth result (A2): only a complete, valid disclosure succeeds; never partial data.</summary>
public static class ResultCheck
{
    public const int MaxValueLength = 1000;

    /// <summary>The attributes by tag on success; otherwise the reason of failure.</summary>
    public static (AuthResult Result, FailureReason? Reason) Evaluate(
        SessionResult result, IReadOnlyList<string> tags, IReadOnlyDictionary<string, List<string>> mapping)
    {
        switch (result.Status)
        {
            case SessionStatus.Cancelled:
                return (AuthResult.Failure(), FailureReason.Cancelled);
            case SessionStatus.Timeout:
                return (AuthResult.Failure(), FailureReason.TimedOut);
            case SessionStatus.Done:
                break;
            default:
                return (AuthResult.Failure(), FailureReason.InvalidProof);
        }

        if (result.ProofStatus != ProofStatus.Valid || (result.Type is not null && result.Type != "disclosing"))
        {
            return (AuthResult.Failure(), FailureReason.InvalidProof);
        }

        var present = (result.Disclosed ?? [])
            .SelectMany(conjunction => conjunction ?? [])
            .Where(a => a is { Status: ProofStatus.AttributePresent, Id: not null, RawValue: not null })
            .ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            var ids = mapping.TryGetValue(tag, out var configured) ? configured : [];
            var attribute = present.FirstOrDefault(a => ids.Contains(a.Id!, StringComparer.Ordinal));
            if (attribute is null || attribute.RawValue!.Length > MaxValueLength)
            {
                return (AuthResult.Failure(), FailureReason.Incomplete);
            }

            values[tag] = attribute.RawValue;
        }

        return (AuthResult.Succeeded(values), null);
    }
}
