using System.Data.Common;
using System.Net.Sockets;

namespace IdContact.Hosting;

/// <summary>An exception as one line for an operator: the messages of its chain, without the stack.</summary>
public static class FailureText
{
    /// <summary>"Failed to connect to 127.0.0.1:5432: Connection refused": each message once, outer to inner.</summary>
    public static string Of(Exception e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            var message = x.Message.Trim().TrimEnd('.');
            if (message.Length > 0 && !messages.Contains(message))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages) + ".";
    }

    /// <summary>A database (or the network to it) refused: a password, host or file to fix, not a bug.</summary>
    public static bool IsDatabase(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is DbException or SocketException)
            {
                return true;
            }
        }

        return false;
    }
}
