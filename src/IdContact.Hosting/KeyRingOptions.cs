using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IdContact.Hosting;

/// <summary>
/// Section "DataProtection": a certificate (PEM) whose RSA key encrypts ASP.NET Core's key ring at rest. That ring signs
/// agents' sign-in cookies, antiforgery tokens and protected links; unencrypted, anyone who reads the data directory
/// (a backup, a shared volume) could forge an agent's cookie. <c>idcontact dataprotection-cert</c> makes one.
/// </summary>
public sealed class KeyRingOptions
{
    /// <summary>The certificate, PEM ("-----BEGIN CERTIFICATE-----").</summary>
    public string? Certificate { get; set; }

    /// <summary>Its RSA private key, PKCS#8 PEM.</summary>
    public string? Key { get; set; }

    /// <summary>Earlier certificates, kept to read keys they encrypted until those expire (90 days) after a change.</summary>
    public List<KeyRingOptions> Previous { get; set; } = [];

    public bool IsSet => !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(Key);

    /// <summary>The certificate with its private key, or a problem sentence.</summary>
    public (X509Certificate2? Certificate, string? Problem) Load(string section)
    {
        if (string.IsNullOrWhiteSpace(Certificate) || string.IsNullOrWhiteSpace(Key))
        {
            return (null, $"{section}: give both Certificate and Key (PEM), or neither.");
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPem(Certificate, Key);
            return certificate.GetRSAPrivateKey() is null
                ? (null, $"{section}: the certificate's key is not an RSA key (the key ring is encrypted with RSA).")
                : (certificate, null);
        }
        catch (CryptographicException)
        {
            var hint = Protocol.Keys.PemPath.Hint(Certificate) is { Length: > 0 } path ? path : Protocol.Keys.PemPath.Hint(Key);
            return (null, $"{section}: Certificate and Key are not a PEM certificate and its PKCS#8 private key.{hint}");
        }
    }

    /// <summary>A new self-signed certificate with its RSA key, both PEM (for the CLI and the demo).</summary>
    public static (string Certificate, string Key) NewCertificate(string subject, int rsaBits)
    {
        using var rsa = RSA.Create(rsaBits);
        var request = new CertificateRequest("CN=" + subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
        // Expiry is not checked when the ring is read; ten years leaves rotation to the operator's schedule.
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(10));
        return (certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Every configured certificate loads and matches its key.</summary>
    public void Validate(List<string> problems)
    {
        if (IsSet && Load("DataProtection").Problem is { } problem)
        {
            problems.Add(problem);
        }

        for (var i = 0; i < Previous.Count; i++)
        {
            if (Previous[i].Load($"DataProtection:Previous:{i}").Problem is { } old)
            {
                problems.Add(old);
            }
        }

        if (!IsSet && Previous.Count > 0)
        {
            problems.Add("DataProtection: Previous certificates are given but no current Certificate and Key.");
        }
    }
}
