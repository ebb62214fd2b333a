namespace IdContact.Core.Plugins;

/// <summary>
/// A plugin did not answer usefully: a 502/504 problem naming the method (never its internal URL), never a hang or a
/// 500; or a 400 when the plugin refused the resident's own auth result.
/// </summary>
public sealed class PluginException(int status, string detail, string title = "Plugin failed") : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;
}
