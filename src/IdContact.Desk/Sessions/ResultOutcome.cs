namespace IdContact.Desk.Sessions;

public enum ResultOutcome
{
    Accepted,
    UnknownSession,
    AlreadyHasResult,
    Invalid,
    Replayed,
}
