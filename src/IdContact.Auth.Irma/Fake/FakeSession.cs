using IdContact.Auth.Irma.Irma;

namespace IdContact.Auth.Irma.Fake;

/// <summary>What a scripted "phone" does with a fake session.</summary>
public enum FakeOutcome
{
    Done,
    Cancelled,
    Timeout,
    Invalid,
    Missing,
}

/// <summary>One session of the fake IRMA server. Mutations take the session's lock: the phone and the role race.</summary>
public sealed class FakeSession(string requestorToken, string clientToken, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> disclose, DateTimeOffset now)
{
    /// <summary>Like a real IRMA server, a session nobody finishes times out.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private string _status = SessionStatus.Initialized;
    private string? _proofStatus;
    private IReadOnlyList<IReadOnlyList<DisclosedAttribute>>? _disclosed;
    private DateTimeOffset _lastActive = now;

    public string RequestorToken { get; } = requestorToken;

    public string ClientToken { get; } = clientToken;

    public DateTimeOffset Created { get; } = now;

    /// <summary>The disclosure request: per disjunction, alternative conjunctions of attribute ids.</summary>
    public IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> Disclose { get; } = disclose;

    public string Status(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!SessionStatus.IsFinished(_status) && now - _lastActive > IdleTimeout)
            {
                _status = SessionStatus.Timeout;
            }

            return _status;
        }
    }

    public SessionResult Result(DateTimeOffset now)
    {
        var status = Status(now);
        lock (_lock)
        {
            return new SessionResult(RequestorToken, status, "disclosing", _proofStatus, _disclosed);
        }
    }

    /// <summary>The phone opened the session (scanned the QR code).</summary>
    public void Connect(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_status == SessionStatus.Initialized)
            {
                _status = SessionStatus.Connected;
                _lastActive = now;
            }
        }
    }

    /// <summary>False when the session had already ended.</summary>
    public bool Finish(FakeOutcome outcome, IReadOnlyDictionary<string, string> values, string? proofStatus, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (SessionStatus.IsFinished(_status))
            {
                return false;
            }

            _lastActive = now;
            (_status, _proofStatus, _disclosed) = outcome switch
            {
                FakeOutcome.Cancelled => (SessionStatus.Cancelled, (string?)null, (IReadOnlyList<IReadOnlyList<DisclosedAttribute>>?)null),
                FakeOutcome.Timeout => (SessionStatus.Timeout, null, null),
                FakeOutcome.Invalid => (SessionStatus.Done, proofStatus ?? ProofStatus.Invalid, Disclosed(values, now, leaveOutLast: false)),
                FakeOutcome.Missing => (SessionStatus.Done, proofStatus ?? ProofStatus.Valid, Disclosed(values, now, leaveOutLast: true)),
                _ => (SessionStatus.Done, proofStatus ?? ProofStatus.Valid, Disclosed(values, now, leaveOutLast: false)),
            };
            return true;
        }
    }

    /// <summary>Cancelled by the requestor (DELETE).</summary>
    public void Cancel(DateTimeOffset now) => Finish(FakeOutcome.Cancelled, new Dictionary<string, string>(), null, now);

    /// <summary>The first alternative of every disjunction, as a phone with those credentials would disclose it.</summary>
    private List<IReadOnlyList<DisclosedAttribute>> Disclosed(IReadOnlyDictionary<string, string> values, DateTimeOffset now, bool leaveOutLast)
    {
        // IRMA rounds issuance times to the week; a week ago is a realistic value.
        var issued = now.AddDays(-7).ToUnixTimeSeconds();
        var disclosed = Disclose.Select(discon => (IReadOnlyList<DisclosedAttribute>)[.. discon[0].Select(id =>
        {
            var value = values.TryGetValue(id, out var v) ? v : FakeValues.DemoValue(id);
            return new DisclosedAttribute(value, new Dictionary<string, string> { [""] = value, ["nl"] = value, ["en"] = value }, id, ProofStatus.AttributePresent, issued);
        })]).ToList();
        if (leaveOutLast)
        {
            disclosed[^1] = [];
        }

        return disclosed;
    }
}
