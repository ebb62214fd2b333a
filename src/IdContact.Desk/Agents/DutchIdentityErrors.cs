using Microsoft.AspNetCore.Identity;

namespace IdContact.Desk.Agents;

/// <summary>Identity's messages that agents and administrators meet, in Dutch (the pages' first language).</summary>
public sealed class DutchIdentityErrors : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) =>
        new() { Code = nameof(PasswordTooShort), Description = $"Het wachtwoord moet minstens {length} tekens lang zijn." };

    public override IdentityError PasswordMismatch() =>
        new() { Code = nameof(PasswordMismatch), Description = "Het huidige wachtwoord klopt niet." };

    public override IdentityError DuplicateUserName(string userName) =>
        new() { Code = nameof(DuplicateUserName), Description = $"De gebruikersnaam '{userName}' bestaat al." };

    public override IdentityError InvalidUserName(string? userName) =>
        new() { Code = nameof(InvalidUserName), Description = $"De gebruikersnaam '{userName}' mag alleen letters, cijfers en -._@+ bevatten." };
}
