namespace IdContact.Protocol.Keys;

/// <summary>A key could not be read; the message says why in one sentence.</summary>
public sealed class KeyLoadException(string message, Exception? inner = null) : Exception(message, inner);
