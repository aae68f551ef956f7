using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace SystemMail.AspNetCore;

/// <summary>
/// The outbox's admin endpoints, mapped into the admin group (its authorization) only when the outbox is registered:
/// list by status, one mail's status (with its last failure's hint in the request's language), retry a dead-lettered mail, cancel one. Nothing of a mail's body or recipient
/// is shown.
/// </summary>
internal static class OutboxEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/outbox", async Task<IResult> (ISystemMailOutbox outbox, string? status, int? limit, CancellationToken ct) =>
        {
            if (!Enum.TryParse<OutboxMailStatus>(status ?? nameof(OutboxMailStatus.Pending), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"must be one of {string.Join(", ", Enum.GetNames<OutboxMailStatus>())}."] });
            }

            if (limit is < 1 or > 1000)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["must be from 1 to 1000."] });
            }

            var mails = await outbox.ListAsync(parsed, limit ?? 100, ct).ConfigureAwait(false);
            var culture = CultureInfo.CurrentUICulture;
            return TypedResults.Json(mails.Select(m => OutboxMailDocument.From(m, culture)).ToList(), AdminJsonContext.Default.IReadOnlyListOutboxMailDocument);
        }).DisableCookieRedirect();

        group.MapGet("/outbox/{id:guid}", async Task<IResult> (ISystemMailOutbox outbox, Guid id, CancellationToken ct) =>
            await outbox.GetAsync(id, ct).ConfigureAwait(false) is { } mail
                ? TypedResults.Json(OutboxMailDocument.From(mail, CultureInfo.CurrentUICulture), AdminJsonContext.Default.OutboxMailDocument)
                : NotFound()).DisableCookieRedirect();

        group.MapPost("/outbox/{id:guid}/retry", (ISystemMailOutbox outbox, HttpContext context, Guid id, CancellationToken ct) =>
            ActAsync(outbox, context, id, outbox.RetryAsync, "Only a dead-lettered mail can be retried.", ct)).DisableCookieRedirect();

        group.MapPost("/outbox/{id:guid}/cancel", (ISystemMailOutbox outbox, HttpContext context, Guid id, CancellationToken ct) =>
            ActAsync(outbox, context, id, outbox.CancelAsync, "Only a pending or dead-lettered mail that is not being sent right now can be cancelled.", ct)).DisableCookieRedirect();
    }

    private static async Task<IResult> ActAsync(ISystemMailOutbox outbox, HttpContext context, Guid id, Func<Guid, CancellationToken, Task<bool>> act, string refusal, CancellationToken cancellationToken)
    {
        // JSON only, as every admin POST: a cross-site form cannot send application/json.
        if (AdminEndpoints.RefuseUnlessJson(context.Request) is { } notJson)
        {
            return notJson;
        }

        if (await act(id, cancellationToken).ConfigureAwait(false))
        {
            return TypedResults.NoContent();
        }

        return await outbox.GetAsync(id, cancellationToken).ConfigureAwait(false) is null
            ? NotFound()
            : TypedResults.Problem(title: refusal, statusCode: StatusCodes.Status409Conflict);
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: "The outbox has no mail with this id.", statusCode: StatusCodes.Status404NotFound);
}
