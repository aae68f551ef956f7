using Microsoft.Extensions.Options;

namespace SystemMail;

/// <summary>
/// The problems the rules found, each with its setting and its message id: built into a
/// <see cref="ValidateOptionsResult"/> in English for start-up validation, and kept as they are for an edge (the admin
/// endpoints) that shows them in the administrator's language.
/// </summary>
internal sealed class ValidationErrors
{
    private readonly List<ValidationError> _errors = [];

    /// <summary>Gets the problems found so far.</summary>
    public IReadOnlyList<ValidationError> All => _errors;

    /// <summary>Adds the message <paramref name="id"/> with <paramref name="arguments"/> about <paramref name="property"/>.</summary>
    public void Add(string? property, string id, params object?[] arguments) => _errors.Add(new ValidationError(property, new ValidationMessage(id, arguments)));

    /// <summary>Adds <paramref name="message"/> about <paramref name="property"/>.</summary>
    public void Add(string? property, ValidationMessage message) => _errors.Add(new ValidationError(property, message));

    /// <summary>Gets the English result, as the options system reports it: <c>Property Host: is required…</c> for each problem.</summary>
    public ValidateOptionsResult Build()
    {
        var builder = new ValidateOptionsResultBuilder();
        foreach (var error in _errors)
        {
            builder.AddError(error.Message.ToString(), error.Property);
        }

        return builder.Build();
    }
}
