using System.Collections.Concurrent;

namespace IdContact.Desk.Chat;

/// <summary>
/// How many of a chat's resident connections this instance holds (several tabs of one resident), so that closing one
/// tab while another stays does not tell the agent the resident left. Only a count per chat, in memory; nothing of the
/// resident. Other instances' connections answer the <c>present</c> probe instead (<see cref="ChatHub"/>).
/// </summary>
public sealed class ResidentConnections
{
    /// <summary>
    /// The default of Desk:Chat:ResidentGoneSeconds: how long the agent's page waits after "the resident's connection
    /// went" before saying so. Room for a reload or a brief network drop, which come back well within it.
    /// </summary>
    public const int DefaultGraceSeconds = 15;

    private readonly ConcurrentDictionary<string, int> _counts = new();

    public void Add(string chat) => _counts.AddOrUpdate(chat, 1, (_, n) => n + 1);

    /// <summary>True when this was the chat's last connection on this instance.</summary>
    public bool RemoveLast(string chat)
    {
        while (_counts.TryGetValue(chat, out var n))
        {
            if (n <= 1 ? _counts.TryRemove(KeyValuePair.Create(chat, n)) : _counts.TryUpdate(chat, n - 1, n))
            {
                return n <= 1;
            }
        }

        return true;
    }
}
