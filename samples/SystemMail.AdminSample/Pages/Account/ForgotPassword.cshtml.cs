using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace SystemMail.AdminSample.Pages.Account;

public sealed class ForgotPasswordModel(UserManager<IdentityUser> users, IEmailSender<IdentityUser> mail) : PageModel
{
    [BindProperty]
    public string Email { get; set; } = string.Empty;

    public bool Sent { get; private set; }

    public async Task OnPostAsync()
    {
        Sent = true; // the same answer whether or not the account exists
        if (await users.FindByEmailAsync(Email) is not { EmailConfirmed: true } user)
        {
            return;
        }

        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = Url.Page("/Account/ResetPassword", null, new { email = Email, code }, Request.Scheme)!;
        await mail.SendPasswordResetLinkAsync(user, Email, HtmlEncoder.Default.Encode(link));
    }
}
