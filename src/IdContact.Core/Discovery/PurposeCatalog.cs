using IdContact.Hosting;
using IdContact.Protocol.Messages;

namespace IdContact.Core.Discovery;

/// <summary>A tenant's purposes and the methods each allows (C1, C6).</summary>
/// <param name="english">Method names in English where configured (the widget's <c>?lang=en</c>).</param>
public sealed class PurposeCatalog(TenantOptions tenant, PublicUrls urls, bool english = false)
{
    public PurposeOptions? Purpose(string? tag) => tenant.Purposes.FirstOrDefault(p => p.Tag == tag);

    public AuthMethodOptions? AllowedAuth(PurposeOptions purpose, string? tag) =>
        Allowed(purpose.AllowedAuth, tenant.AuthMethods, tag);

    public CommMethodOptions? AllowedComm(PurposeOptions purpose, string? tag) =>
        Allowed(purpose.AllowedComm, tenant.CommMethods, tag);

    public SessionOptions Options(PurposeOptions purpose) => new(
        tenant.AuthMethods.Where(m => IsAllowed(purpose.AllowedAuth, m.Tag)).Select(Option).ToList(),
        tenant.CommMethods.Where(m => IsAllowed(purpose.AllowedComm, m.Tag)).Select(Option).ToList());

    public Dictionary<string, SessionOptions> AllOptions() =>
        tenant.Purposes.ToDictionary(p => p.Tag, Options, StringComparer.Ordinal);

    private static T? Allowed<T>(List<string> allowed, List<T> methods, string? tag)
        where T : MethodOptions =>
        tag is not null && IsAllowed(allowed, tag) ? methods.FirstOrDefault(m => m.Tag == tag) : null;

    private static bool IsAllowed(List<string> allowed, string tag) => allowed.Contains("*") || allowed.Contains(tag);

    // Relative image paths are made absolute: the widget shows them on the municipality's own site.
    private MethodOption Option(MethodOptions m) =>
        new(m.Tag, english && !string.IsNullOrEmpty(m.NameEn) ? m.NameEn : m.Name, m.ImagePath.StartsWith('/') ? urls.Base + m.ImagePath : m.ImagePath);
}
