namespace IdContact.Protocol.Keys;

/// <summary>Keys and certificates are configured as PEM text; a file's path in their place is a common slip.</summary>
public static class PemPath
{
    /// <summary>An operator who gave a file's path where its text belongs is told so (the configuration holds the PEM itself).</summary>
    public static string Hint(string? value) =>
        value?.Trim() is { Length: > 0 } text && !text.Contains('\n', StringComparison.Ordinal) && !text.Contains("-----", StringComparison.Ordinal)
            && (text.StartsWith('/') || text.StartsWith('.') || text.StartsWith('~') || text.EndsWith(".pem", StringComparison.OrdinalIgnoreCase))
            ? " It looks like a file path: put the file's PEM text itself in the configuration."
            : "";
}
