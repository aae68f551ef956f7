using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace SystemMail.AspNetCore;

/// <summary>The template handlers behind <c>MapSystemMailAdmin</c>: <c>templates</c>, <c>templates/{kind}/{culture}</c> and its <c>preview</c> and <c>test</c>.</summary>
internal static class TemplateEndpoints
{
    private const string One = "/templates/{kind}/{culture}";

    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/templates", async Task<IResult> (SystemMailTemplateService templates, CancellationToken ct) =>
            TypedResults.Json(await templates.ListAsync(ct).ConfigureAwait(false), TemplateJsonContext.Default.TemplateListDocument))
            .DisableCookieRedirect();

        group.MapGet(One, async Task<IResult> (string kind, string culture, SystemMailTemplateService templates, CancellationToken ct) =>
            Route(kind, culture) is not { } target
                ? NotFound(kind, culture)
                : TypedResults.Json(await templates.GetAsync(target.Kind, target.Culture, ct).ConfigureAwait(false), TemplateJsonContext.Default.TemplateDocument))
            .DisableCookieRedirect();

        group.MapPut(One, async Task<IResult> (string kind, string culture, SystemMailTemplateService templates, HttpContext context, CancellationToken ct) =>
        {
            if (Route(kind, culture) is not { } target)
            {
                return NotFound(kind, culture);
            }

            var (input, problem) = await AdminEndpoints.ReadAsync(context.Request, TemplateJsonContext.Default.TemplateInput, ct).ConfigureAwait(false);
            if (input is null)
            {
                return problem!;
            }

            var outcome = await templates.SaveAsync(target.Kind, target.Culture, input, Administrator(context.User), ct).ConfigureAwait(false);
            return Answer(outcome, TemplateJsonContext.Default.TemplateDocument);
        }).DisableCookieRedirect();

        // Reset to the built-in template; ?version= makes it conditional (409 when the template changed since).
        group.MapDelete(One, async Task<IResult> (string kind, string culture, string? version, SystemMailTemplateService templates, HttpContext context, CancellationToken ct) =>
        {
            if (Route(kind, culture) is not { } target)
            {
                return NotFound(kind, culture);
            }

            var outcome = await templates.ResetAsync(target.Kind, target.Culture, string.IsNullOrEmpty(version) ? null : version, Administrator(context.User), ct).ConfigureAwait(false);
            return Answer(outcome, TemplateJsonContext.Default.TemplateDocument);
        }).DisableCookieRedirect();

        group.MapPost(One + "/preview", async Task<IResult> (string kind, string culture, SystemMailTemplateService templates, HttpContext context, CancellationToken ct) =>
        {
            if (Route(kind, culture) is not { } target)
            {
                return NotFound(kind, culture);
            }

            var (input, problem) = await AdminEndpoints.ReadAsync(context.Request, TemplateJsonContext.Default.TemplateTrialInput, ct).ConfigureAwait(false);
            if (input is null)
            {
                return problem!;
            }

            // The HTML is the mail's: the page shows it in a sandboxed frame. Should the answer ever be shown as a
            // document, it runs nothing and loads nothing.
            context.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            var outcome = await templates.PreviewAsync(target.Kind, target.Culture, input, ct).ConfigureAwait(false);
            return Answer(outcome, TemplateJsonContext.Default.TemplatePreviewDocument);
        }).DisableCookieRedirect();

        group.MapPost(One + "/test", async Task<IResult> (string kind, string culture, SystemMailTemplateService templates, HttpContext context, CancellationToken ct) =>
        {
            if (Route(kind, culture) is not { } target)
            {
                return NotFound(kind, culture);
            }

            var (input, problem) = await AdminEndpoints.ReadAsync(context.Request, TemplateJsonContext.Default.TemplateTrialInput, ct).ConfigureAwait(false);
            if (input is null)
            {
                return problem!;
            }

            if (AdminEndpoints.TestRecipient(context.User, input.To) is not { } recipient)
            {
                return AdminEndpoints.RecipientProblem(AdminEndpoints.RecipientRequired);
            }

            try
            {
                var outcome = await templates.SendTestAsync(target.Kind, target.Culture, input, recipient, Administrator(context.User), ct).ConfigureAwait(false);
                return Answer(outcome, TemplateJsonContext.Default.TemplateTestDocument);
            }
            catch (ArgumentException ex)
            {
                return AdminEndpoints.RecipientProblem(ex.Message);
            }
            catch (SystemMailException ex)
            {
                // The message ends with the hint; it names the server and the failure, never a secret.
                return TypedResults.Problem(
                    title: "The test mail was not sent.",
                    detail: ex.Message,
                    statusCode: StatusCodes.Status502BadGateway,
                    extensions: new Dictionary<string, object?> { ["errorKind"] = ex.Kind.ToString(), ["statusCode"] = ex.StatusCode });
            }
        }).DisableCookieRedirect();
    }

    /// <summary>The mail kind (its name, such as <c>PasswordReset</c>) and the culture (such as <c>de</c> or <c>zh-Hans</c>) of a route.</summary>
    internal static (SystemMailKind Kind, CultureInfo Culture)? Route(string kind, string culture)
    {
        if (!Enum.TryParse<SystemMailKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || kind.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return null;
        }

        try
        {
            var info = CultureInfo.GetCultureInfo(culture, predefinedOnly: true);
            return string.IsNullOrEmpty(info.Name) ? null : (parsed, info);
        }
        catch (CultureNotFoundException)
        {
            return null;
        }
    }

    private static ProblemHttpResult NotFound(string kind, string culture) =>
        TypedResults.Problem(
            title: "There is no such mail template.",
            detail: $"'{kind}' is not a mail kind ({string.Join(", ", Enum.GetNames<SystemMailKind>())}) or '{culture}' is not a culture name.",
            statusCode: StatusCodes.Status404NotFound);

    private static IResult Answer<T>(SystemMailTemplateService.Outcome<T> outcome, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (outcome.IsConflict)
        {
            return TypedResults.Problem(
                title: "The template was changed meanwhile.",
                detail: "Someone else saved or reset this template after you loaded it. Load it again, then make your changes.",
                statusCode: StatusCodes.Status409Conflict);
        }

        if (outcome.Problems is { } problems)
        {
            // In the administrator's language (the request's culture), not the template's.
            var culture = CultureInfo.CurrentUICulture;
            var document = new TemplateProblemDocument
            {
                Errors = problems.GroupBy(p => p.Part).ToDictionary(g => g.Key, g => g.Select(p => Describe(p, culture)).ToArray()),
                Problems = [.. problems.Select(p => new TemplateProblemItem { Part = p.Part, Line = p.Line, Column = p.Column, Message = p.Text.Text(culture) })],
            };
            return TypedResults.Json(document, TemplateJsonContext.Default.TemplateProblemDocument, "application/problem+json", StatusCodes.Status400BadRequest);
        }

        return TypedResults.Json(outcome.Value!, typeInfo);
    }

    private static string Describe(TemplateProblem problem, CultureInfo culture) =>
        (problem.Line is { } line ? new ValidationMessage("TemplateProblemAt", line, problem.Column, problem.Text) : problem.Text).Text(culture);

    /// <summary>The administrator's name for the audit log: the name, else the NameIdentifier claim.</summary>
    private static string? Administrator(ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
}
