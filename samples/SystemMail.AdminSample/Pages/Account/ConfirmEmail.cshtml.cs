using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace SystemMail.AdminSample.Pages.Account;

public sealed class ConfirmEmailModel(UserManager<IdentityUser> users, ISystemMailer mailer) : PageModel
{
    public bool Activated { get; private set; }

    public async Task OnGetAsync(string? userId, string? code, CancellationToken cancellationToken)
    {
        if (userId is null || code is null || await users.FindByIdAsync(userId) is not { } user)
        {
            return;
        }

        var wasConfirmed = user.EmailConfirmed;
        var result = await users.ConfirmEmailAsync(user, Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)));
        Activated = result.Succeeded;
        if (Activated && !wasConfirmed)
        {
            var login = new Uri(Url.Page("/Account/Login", null, null, Request.Scheme)!);
            await mailer.SendAccountActivatedAsync(user.Email!, login, cancellationToken: cancellationToken);
        }
    }
}
