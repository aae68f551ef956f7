using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace SystemMail.AdminSample.Pages.Account;

public sealed class ResetPasswordModel(UserManager<IdentityUser> users, ISystemMailer mailer) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Email { get; set; } = string.Empty;

    [BindProperty(SupportsGet = true)]
    public string Code { get; set; } = string.Empty;

    [BindProperty]
    public string Password { get; set; } = string.Empty;

    public bool Done { get; private set; }

    /// <summary>Whether the link can no longer reset the password: used already (the password changed since), expired or damaged.</summary>
    public bool LinkUnusable { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        // Said at once, before the user types a new password for nothing.
        LinkUnusable = await users.FindByEmailAsync(Email) is not { } user || Token() is not { } token
            || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<IdentityUser>.ResetPasswordTokenPurpose, token);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(Email) is not { } user || Token() is not { } token)
        {
            LinkUnusable = true;
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, token, Password);
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
        {
            LinkUnusable = true;
            return Page();
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        var login = new Uri(Url.Page("/Account/Login", null, null, Request.Scheme)!);
        await mailer.SendPasswordWasResetAsync(user.Email!, login, cancellationToken: cancellationToken);
        Done = true;
        return Page();
    }

    private string? Token()
    {
        try
        {
            return Code.Length == 0 ? null : Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
