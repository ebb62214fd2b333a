using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace IdContact.Desk.Tests;

/// <summary>Reads what arrived at smtp4dev through its HTTP API.</summary>
public static class Smtp4dev
{
    private static readonly HttpClient Http = new() { BaseAddress = new Uri(DeskServer.SmtpApi) };

    /// <summary>The message sent to <paramref name="address"/>, waiting up to ten seconds for it to arrive.</summary>
    public static Task<MimeMessage> WaitForAsync(string address) => WaitForAsync(address, _ => true);

    /// <summary>How many messages to <paramref name="address"/> (any case) smtp4dev holds now.</summary>
    public static async Task<int> CountAsync(string address)
    {
        var page = await Http.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=500");
        return page.GetProperty("results").EnumerateArray().Count(m => m.GetRawText().Contains(address, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every message to <paramref name="address"/> (any case) smtp4dev holds now.</summary>
    public static async Task<List<MimeMessage>> AllAsync(string address)
    {
        var page = await Http.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=500");
        var all = new List<MimeMessage>();
        foreach (var message in page.GetProperty("results").EnumerateArray().Where(m => m.GetRawText().Contains(address, StringComparison.OrdinalIgnoreCase)))
        {
            all.Add(await MimeMessage.LoadAsync(await Http.GetStreamAsync($"/api/messages/{message.GetProperty("id").GetString()}/raw")));
        }

        return all;
    }

    /// <summary>The message to <paramref name="address"/> that <paramref name="match"/> accepts, waiting up to ten seconds.</summary>
    public static async Task<MimeMessage> WaitForAsync(string address, Func<MimeMessage, bool> match)
    {
        for (var i = 0; i < 100; i++)
        {
            var page = await Http.GetFromJsonAsync<JsonElement>("/api/messages?pageSize=500");
            foreach (var message in page.GetProperty("results").EnumerateArray())
            {
                if (message.GetRawText().Contains(address, StringComparison.OrdinalIgnoreCase))
                {
                    var id = message.GetProperty("id").GetString();
                    var source = await Http.GetStreamAsync($"/api/messages/{id}/raw");
                    var loaded = await MimeMessage.LoadAsync(source);
                    if (match(loaded))
                    {
                        return loaded;
                    }
                }
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("no e-mail arrived at smtp4dev");
    }
}
