using StackExchange.Redis;

namespace IdContact.Desk.Sessions;

/// <summary>
/// What an installation's names in Redis start with, so installations sharing one Redis (a test and a production
/// installation, two hosting customers) with the same tenant tags stay apart: StackExchange.Redis's own
/// <c>channelPrefix=</c> in Desk:Redis, else "idcontact". The SignalR backplane's channels, the hub re-check channel and
/// the flood counts' keys all carry it.
/// </summary>
public static class RedisNames
{
    public const string DefaultPrefix = "idcontact";

    public static string Prefix(string configuration) =>
        ConfigurationOptions.Parse(configuration).ChannelPrefix is { IsNullOrEmpty: false } prefix ? prefix.ToString() : DefaultPrefix;
}
