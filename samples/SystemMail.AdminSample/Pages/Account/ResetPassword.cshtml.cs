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

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(Email) is not { } user)
        {
            ModelState.AddModelError(string.Empty, "This reset link is not valid.");
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code)), Password);
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
}
