using System.Text.RegularExpressions;
using IdContact.Desk.Agents;
using IdContact.Desk.Chat;
using IdContact.Desk.Pages;
using Microsoft.AspNetCore.Http;

namespace IdContact.Desk.Admin;

/// <summary>The new-agent form as posted: checked as a whole, so a refusal names every field in error at once.</summary>
public sealed partial record NewAgentForm(string UserName, string DisplayName, string Role, string Extension)
{
    public static NewAgentForm Of(IFormCollection form) => new(
        form["userName"].ToString().Trim(), form["displayName"].ToString().Trim(), form["role"].ToString(), form["extension"].ToString().Trim());

    /// <summary>The data protection officer takes no calls: an extension typed before that role was chosen is dropped.</summary>
    public string? ExtensionToStore => Role == AgentAuthorization.PrivacyRole || Extension.Length == 0 ? null : Extension;

    /// <summary>Every error of the form, in the order of its fields.</summary>
    public FormErrors Check(bool english)
    {
        var errors = new List<FieldError>();
        if (UserName.Length is 0 or > 64)
        {
            errors.Add(new("new-user", english ? "Enter a user name of at most 64 characters." : "Vul een gebruikersnaam van hoogstens 64 tekens in."));
        }

        if (DisplayName.Length > 100)
        {
            errors.Add(new("new-name", english ? "Enter a name of at most 100 characters." : "Vul een naam van hoogstens 100 tekens in."));
        }
        else if (DisplayNames.HasHidden(DisplayName))
        {
            errors.Add(new("new-name", english
                ? "Enter a name without invisible or control characters (such as a text direction mark or a line break)."
                : "Vul een naam in zonder onzichtbare tekens of stuurtekens (zoals een teken voor de tekstrichting of een regeleinde)."));
        }
        else if (DisplayNames.HasMarkPile(DisplayName))
        {
            errors.Add(new("new-name", english
                ? $"Enter a name with at most {ChatRules.MaxCombiningMarks} accents or other combining marks on one letter."
                : $"Vul een naam in met hoogstens {ChatRules.MaxCombiningMarks} accenten of andere combinatietekens op één letter."));
        }

        if (Role.Length > 0 && !AgentAuthorization.Roles.Contains(Role))
        {
            errors.Add(new("new-role", english ? "Unknown role. Choose one of the roles." : "Onbekende rol. Kies een van de rollen.", Target: "new-agent"));
        }

        if (ExtensionToStore is { } extension && !IsExtension(extension))
        {
            errors.Add(new("new-ext", english ? "Enter an extension of digits only, at most 32." : "Vul een toestelnummer van alleen cijfers in, hoogstens 32."));
        }

        return new(errors);
    }

    /// <summary>What the softphone dials: digits (the exchange routes to it by number).</summary>
    public static bool IsExtension(string value) => Digits().IsMatch(value);

    [GeneratedRegex("^[0-9]{1,32}$")]
    private static partial Regex Digits();
}
