using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore;

/// <summary>Checks <see cref="SystemMailAdminOptions"/> at start-up: the page's logo and stylesheet are a local path or an http(s) URL.</summary>
internal sealed class SystemMailAdminOptionsValidator : IValidateOptions<SystemMailAdminOptions>
{
    public ValidateOptionsResult Validate(string? name, SystemMailAdminOptions options)
    {
        var failures = new List<string>();
        if (!AdminPageRenderer.IsAcceptedUrl(options.Page.LogoUrl))
        {
            failures.Add($"Page.LogoUrl: '{options.Page.LogoUrl}' must be a local path (/img/logo.svg) or an absolute http(s) URL.");
        }

        if (!AdminPageRenderer.IsAcceptedUrl(options.Page.StylesheetUrl))
        {
            failures.Add($"Page.StylesheetUrl: '{options.Page.StylesheetUrl}' must be a local path (/css/mail.css) or an absolute http(s) URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
