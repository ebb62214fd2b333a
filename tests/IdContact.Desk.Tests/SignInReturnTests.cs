using System.Net;

namespace IdContact.Desk.Tests;

/// <summary>Where a sign-in leads back to (<c>returnUrl</c>): only inside the municipality's own desk, never off the site.</summary>
public sealed class SignInReturnTests(SqliteDeskServer desk) : IClassFixture<SqliteDeskServer>
{
    [Fact]
    public async Task A_sign_in_leads_back_only_into_its_own_municipalitys_desk()
    {
        var (a, b) = (desk.TenantA, desk.TenantB);
        string[] hostile =
        [
            "https://evil.example/desk", "//evil.example/", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)",
            $"/{a}/desk\\..\\..\\evil", $"/{a}/desk/\r\nLocation: https://evil.example", $"/{a}/desk/é", $"/{b}/desk",
            $"//{a}/desk", $"https://evil.example/{a}/desk",
        ];
        await DeskAgent.CreateAsync(desk.Databases, a, "return-to");
        foreach (var returnUrl in hostile.Append($"/{a}/desk/appointments"))
        {
            using var agent = DeskAgent.For(desk, a);
            var signedIn = await agent.PostAsync("/desk/login", "/desk/login", ("userName", "return-to"), ("password", DeskAgent.Password), ("returnUrl", returnUrl));
            Assert.Equal(HttpStatusCode.SeeOther, signedIn.StatusCode);
            var location = signedIn.Headers.Location!.OriginalString;
            Assert.Equal(returnUrl.StartsWith($"/{a}/desk/appointments", StringComparison.Ordinal) ? returnUrl : $"/{a}/desk", location);
        }
    }
}
