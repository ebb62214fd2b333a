namespace IdContact.Core.Shims;

/// <summary>A phone continuation <c>tel:&lt;number&gt;,,&lt;code&gt;</c>: commas are dialer pauses before the code.</summary>
public sealed record TelUrl(string Uri, string Number, string Code)
{
    public static TelUrl? Parse(string? uri)
    {
        if (uri is null || !uri.StartsWith("tel:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var body = System.Uri.UnescapeDataString(uri[4..]);
        var comma = body.IndexOf(',', StringComparison.Ordinal);
        var number = (comma < 0 ? body : body[..comma]).Trim();
        var code = comma < 0 ? "" : body[comma..].Trim(',', ' ', '#');
        return number.Length == 0 ? null : new TelUrl(uri, number, code);
    }
}
