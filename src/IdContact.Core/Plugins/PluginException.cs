namespace IdContact.Core.Plugins;

/// <summary>A plugin did not answer usefully; becomes a 502/504 problem naming the plugin, never a hang or a 500.</summary>
public sealed class PluginException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;
}
