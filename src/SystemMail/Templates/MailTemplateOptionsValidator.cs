using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>Parses every template override at start-up, so a Liquid mistake stops the host, not a password reset.</summary>
internal sealed class MailTemplateOptionsValidator : IValidateOptions<MailTemplateOptions>
{
    public ValidateOptionsResult Validate(string? name, MailTemplateOptions options)
    {
        var errors = new ValidateOptionsResultBuilder();
        foreach (var ((kind, culture), template) in options.Overrides)
        {
            var where = string.IsNullOrEmpty(culture) ? kind.ToString() : $"{kind} ({culture})";
            Check(template.Subject, $"{where} Subject", errors);
            Check(template.Html, $"{where} Html", errors);
            Check(template.Text, $"{where} Text", errors);
        }

        return errors.Build();
    }

    private static void Check(string? source, string description, ValidateOptionsResultBuilder errors)
    {
        if (source is null)
        {
            return;
        }

        try
        {
            MailTemplateRenderer.Parse(source, description);
        }
        catch (FormatException ex)
        {
            errors.AddError(ex.Message, "Templates");
        }
    }
}
