using System.Net;
using System.Net.Sockets;

namespace IdContact.Hosting;

/// <summary>
/// What rate limits and wrong-code budgets count per: a client's IPv4 address, or the /64 network of an IPv6 one. An
/// IPv6 host is handed a whole /64 and picks any address in it at will (privacy extensions rotate them by themselves),
/// so counting per full IPv6 address would give one caller 2^64 fresh budgets.
/// </summary>
public static class ClientAddress
{
    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>The key of an address given as text; text that is no address is its own key.</summary>
    public static string Key(string? address) =>
        address is null ? "unknown" : IPAddress.TryParse(address, out var parsed) ? Key(parsed) : address;
}
