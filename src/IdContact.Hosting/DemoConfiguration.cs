namespace IdContact.Hosting;

/// <summary>Two demo municipalities with demo purposes, used when no tenant is configured.</summary>
public static class DemoConfiguration
{
    public static void FillMissing(IdContactOptions options)
    {
        if (options.Tenants.Count > 0)
        {
            return;
        }

        options.Tenants["arnhem"] = Tenant("Gemeente Arnhem");
        options.Tenants["utrecht"] = Tenant("Gemeente Utrecht");
    }

    private static TenantOptions Tenant(string name) => new()
    {
        DisplayName = name,
        Purposes =
        [
            new() { Tag = "report_move", Name = "Verhuizing doorgeven", NameEn = "Report a move", Attributes = ["fullname", "birthdate", "email"], AllowedAuth = ["*"], AllowedComm = ["*"] },
            new() { Tag = "request_passport", Name = "Paspoort aanvragen", NameEn = "Apply for a passport", Attributes = ["fullname", "birthdate", "bsn"], AllowedAuth = ["*"], AllowedComm = ["*"] },
        ],
        AuthMethods =
        [
            new() { Tag = "test", Name = "Testinlog", ImagePath = "/static/auth-test.svg", Start = "/{tenant}/auth-test" },
        ],
        CommMethods =
        [
            new() { Tag = "test", Name = "Testgesprek", ImagePath = "/static/comm-test.svg", Start = "/{tenant}/comm-test" },
        ],
    };
}
