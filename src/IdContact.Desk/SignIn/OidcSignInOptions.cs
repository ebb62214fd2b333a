namespace IdContact.Desk.SignIn;

/// <summary>How a municipality's agents sign in (section "Tenants:{tag}:Desk:SignIn").</summary>
public sealed class DeskSignInOptions
{
    /// <summary>The municipality's own identity provider (Entra ID, ADFS, Keycloak…); none: desk passwords only.</summary>
    public OidcSignInOptions? Oidc { get; set; }

    /// <summary>
    /// Wrong sign-in attempts (unknown name, wrong password or code, locked account) one client address may make per hour
    /// (1–1000), over all accounts: a guesser behind one address gets no more, a contact centre behind one NAT signs in freely.
    /// </summary>
    public int WrongPerAddressPerHour { get; set; } = 30;
}

/// <summary>
/// Sign-in with the municipality's OpenID Connect provider (section "Tenants:{tag}:Desk:SignIn:Oidc"): authorization
/// code flow with PKCE; the claim <see cref="UserClaim"/> names an existing agent account of this municipality.
/// </summary>
public sealed class OidcSignInOptions
{
    /// <summary>The issuer, e.g. "https://login.microsoftonline.com/{tenant-id}/v2.0"; its discovery document is read from there.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>The provider's name on the button, Dutch: "Inloggen met {Label}".</summary>
    public string Label { get; set; } = "";

    /// <summary>The provider's name on the English page; <see cref="Label"/> when empty.</summary>
    public string? LabelEn { get; set; }

    /// <summary>The claim that names the account, matched case-insensitively to the agent's user name.</summary>
    public string UserClaim { get; set; } = "preferred_username";

    /// <summary>False: agents of this municipality sign in with the provider only; the password form and endpoints refuse.</summary>
    public bool PasswordSignIn { get; set; } = true;

    /// <summary>
    /// True: signing out at the desk also ends the agent's session at the provider (RP-Initiated Logout, its
    /// end_session_endpoint), so the next person at a shared workstation is asked for a password there.
    /// </summary>
    public bool SignOutAtProvider { get; set; } = true;

    /// <summary>
    /// How long (1–120 s) the desk waits for the provider's discovery document, keys and token answer: .NET's own 60 s
    /// would keep the sign-in button and the sign-out waiting a minute while the provider is down.
    /// </summary>
    public int BackchannelTimeoutSeconds { get; set; } = 10;
}
