using IdContact.Hosting;

namespace IdContact.Auth.Irma;

/// <summary>Demo mode's IRMA: the fake IRMA server on this very server, a demo attribute mapping, development keys.</summary>
internal static class AuthIrmaDemo
{
    public static void Fill(IdContactOptions options, DevelopmentKeys? developmentKeys)
    {
        var irma = options.AuthIrma();
        if (developmentKeys is null)
        {
            return;
        }

        // The demo municipalities show IRMA with the fake server, so they need no IRMA server and no Yivi app.
        if (options.EmbeddedDemo && string.IsNullOrEmpty(irma.ServerUrl))
        {
            irma.UseFakeServer = true;
        }

        if (options.EmbeddedDemo && irma.Attributes.Count == 0)
        {
            irma.Attributes = new(StringComparer.Ordinal)
            {
                ["fullname"] = ["pbdf.gemeente.personalData.fullname"],
                ["birthdate"] = ["pbdf.gemeente.personalData.dateofbirth"],
                ["bsn"] = ["pbdf.gemeente.personalData.bsn"],
                ["email"] = ["pbdf.sidn-pbdf.email.email", "pbdf.pbdf.email.email"],
            };
        }

        if (irma.UseFakeServer)
        {
            if (string.IsNullOrEmpty(irma.ServerUrl))
            {
                irma.ServerUrl = (options.PublicUrl ?? "http://127.0.0.1:5080").TrimEnd('/') + "/irma-fake";
            }

            if (string.IsNullOrEmpty(irma.RequestorToken))
            {
                irma.RequestorToken = DemoConfiguration.DemoIrmaRequestorToken;
            }
        }

        // The demo auth plugins share one signing key, so every demo comm plugin already trusts IRMA results.
        irma.SigningKey ??= developmentKeys.AuthSigning.ToConfig();
        irma.EncryptionKey ??= developmentKeys.CommDecryption.PublicKey.ToConfig();
        irma.ApiKey ??= DemoConfiguration.DemoPluginKey;
    }
}
