namespace IdContact.Desk.Pages;

/// <summary>One message of a refused form: about the field with HTML id <paramref name="Field"/>, or the whole form (null).</summary>
/// <param name="Target">Where the summary's link goes when it is not the field itself (the first radio button of a group).</param>
public sealed record FieldError(string? Field, string Message, string? Target = null);

/// <summary>
/// Every error of one post, for the page's <see cref="ErrorSummary"/> and for each field's own message beside it (GOV.UK
/// error summary, NL Design System form field error message): a field in error points at its message and is invalid.
/// </summary>
public sealed class FormErrors(IReadOnlyList<FieldError> items)
{
    public static readonly FormErrors None = new([]);

    public IReadOnlyList<FieldError> Items { get; } = items;

    public bool Any => Items.Count > 0;

    /// <summary>A single message (null: none), about <paramref name="field"/> or, without one, the whole form.</summary>
    public static FormErrors Of(string? message, string? field = null, string? target = null) =>
        message is null ? None : new([new FieldError(field, message, target)]);

    /// <summary>The id of the message beside <paramref name="field"/>.</summary>
    public static string MessageId(string field) => field + "-error";

    public string? MessageOf(string field) => Items.FirstOrDefault(e => e.Field == field)?.Message;

    /// <summary>The field's aria-describedby: its hint if any, then its message when it has one (WCAG 3.3.1, 1.3.1).</summary>
    public string? DescribedBy(string field, string? hint = null) =>
        MessageOf(field) is null ? hint : string.Join(' ', new[] { hint, MessageId(field) }.Where(id => id is not null));

    public string? Invalid(string field) => MessageOf(field) is null ? null : "true";
}
