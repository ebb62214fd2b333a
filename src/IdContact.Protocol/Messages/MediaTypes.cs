namespace IdContact.Protocol.Messages;

public static class MediaTypes
{
    public const string Json = "application/json";
    public const string Jwt = "application/jwt";
}
