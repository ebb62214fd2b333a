namespace IdContact.Desk.Video;

/// <summary>
/// A refused planning form as it was typed (shortened; Razor escapes it), shown again with the message linked to
/// <paramref name="ErrorField"/> ("email", "purpose", "at", "when"; null when the message is about no one field).
/// </summary>
public sealed record PlanForm(string Email, string Purpose, string Language, bool Later, string At, string? ErrorField);
