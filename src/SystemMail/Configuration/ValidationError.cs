namespace SystemMail;

/// <summary>One problem a validation rule found: the setting it is about and what is wrong with it.</summary>
/// <param name="Property">The setting's path in <see cref="SystemMailOptions"/>, such as <c>Proxy.Host</c>, or <see langword="null"/> for the whole.</param>
/// <param name="Message">What is wrong, in a sentence that follows the property's name.</param>
internal sealed record ValidationError(string? Property, ValidationMessage Message)
{
    /// <summary>Gets the failure as start-up validation names it, in English: <c>Property Proxy.Host: is required…</c>.</summary>
    public override string ToString() => Property is null ? Message.ToString() : $"Property {Property}: {Message}";
}
