namespace IdContact.Protocol.Keys;

public enum KeyType
{
    Rsa,
    Ec,
}
