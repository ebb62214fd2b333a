using System.Globalization;
using System.Text;
using IdContact.Desk.Agents;

namespace IdContact.Desk.Admin;

/// <summary>
/// The access log as CSV (RFC 4180: comma, CRLF, quotes doubled), one row at a time. A cell a spreadsheet would run as a
/// formula (=, +, -, @, tab, CR first) gets a leading apostrophe: user names and session ids come from outside.
/// </summary>
public static class AccessLogCsv
{
    /// <summary>UTF-8 with a byte-order mark, so spreadsheet programs read é and ë as such.</summary>
    public static readonly Encoding Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public static async Task<int> WriteAsync(TextWriter writer, IAsyncEnumerable<AuditRecord> records, bool english, CancellationToken ct)
    {
        await WriteRowAsync(writer, english
            ? ["time (Europe/Amsterdam)", "time (UTC)", "agent", "agent id", "action", "description", "session"]
            : ["tijdstip (Europe/Amsterdam)", "tijdstip (UTC)", "medewerker", "medewerker-id", "actie", "omschrijving", "sessie"]);
        var count = 0;
        await foreach (var record in records.WithCancellation(ct))
        {
            await WriteRowAsync(writer,
            [
                DutchTime.Of(record.At).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                record.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                record.AgentName,
                record.AgentId,
                record.Action,
                AccessLogActions.Label(record.Action, english),
                record.SessionId,
            ]);
            count++;
        }

        return count;
    }

    public static string Cell(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }

    private static async Task WriteRowAsync(TextWriter writer, string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                await writer.WriteAsync(',');
            }

            await writer.WriteAsync(Cell(cells[i]));
        }

        await writer.WriteAsync("\r\n");
    }
}
