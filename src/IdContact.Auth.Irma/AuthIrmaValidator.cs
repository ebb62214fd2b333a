using System.Text.RegularExpressions;
using IdContact.Hosting;

namespace IdContact.Auth.Irma;

/// <summary>The checks of section "AuthIrma" when the auth-irma role runs; keys are checked with the other keys.</summary>
internal static partial class AuthIrmaValidator
{
    public static void Validate(IdContactOptions options, List<string> problems)
    {
        var irma = options.AuthIrma();
        if (string.IsNullOrWhiteSpace(irma.ServerUrl))
        {
            problems.Add("AuthIrma:ServerUrl is missing; give the IRMA server's URL (or set UseFakeServer for a demo).");
        }
        else if (!ConfigChecks.IsHttpUrl(irma.ServerUrl))
        {
            problems.Add($"AuthIrma:ServerUrl '{irma.ServerUrl}' is not an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(irma.RequestorToken))
        {
            problems.Add("AuthIrma:RequestorToken is missing; the IRMA server must know this role by a requestor token.");
        }

        if (irma.TimeoutSeconds is < 1 or > 120)
        {
            problems.Add("AuthIrma:TimeoutSeconds must be between 1 and 120.");
        }

        if (irma.Attributes.Count == 0)
        {
            problems.Add("AuthIrma:Attributes is empty; map each attribute tag to one or more IRMA attribute ids.");
        }

        foreach (var (tag, ids) in irma.Attributes)
        {
            if (ids is not { Count: > 0 })
            {
                problems.Add($"AuthIrma:Attributes:{tag} lists no IRMA attribute id.");
            }

            foreach (var id in (ids ?? []).Where(id => !AttributeIdPattern().IsMatch(id ?? "")))
            {
                problems.Add($"AuthIrma:Attributes:{tag}: '{id}' is not an IRMA attribute id like pbdf.gemeente.personalData.fullname.");
            }
        }

        CheckPurposesAreMapped(options, problems);
    }

    /// <summary>A purpose offering IRMA must only request tags that IRMA can prove, or every start for it fails.</summary>
    private static void CheckPurposesAreMapped(IdContactOptions options, List<string> problems)
    {
        if (options.AuthIrma().Attributes.Count == 0)
        {
            return;
        }

        foreach (var (tenantTag, tenant) in options.Tenants)
        {
            var irmaMethods = tenant.AuthMethods
                .Where(m => ConfigChecks.ServedHere(m, "/auth-irma"))
                .Select(m => m.Tag)
                .ToHashSet(StringComparer.Ordinal);
            if (irmaMethods.Count == 0)
            {
                continue;
            }

            foreach (var purpose in tenant.Purposes.Where(p => p.AllowedAuth.Contains("*") || p.AllowedAuth.Any(irmaMethods.Contains)))
            {
                foreach (var tag in purpose.Attributes.Where(t => !options.AuthIrma().Attributes.ContainsKey(t)))
                {
                    problems.Add($"Tenants:{tenantTag}:Purposes:{purpose.Tag} requests '{tag}', which AuthIrma:Attributes does not map to an IRMA attribute.");
                }
            }
        }
    }

    // scheme.issuer.credential.attribute, as in the IRMA schemes.
    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){3}$")]
    private static partial Regex AttributeIdPattern();
}
