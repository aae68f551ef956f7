namespace SystemMail;

/// <summary>One reason a template cannot be saved, with where it is when there is a place to point at.</summary>
/// <param name="Part"><c>subject</c>, <c>html</c> or <c>text</c>.</param>
/// <param name="Line">The line, from 1, or <see langword="null"/>.</param>
/// <param name="Column">The column, from 1, or <see langword="null"/>.</param>
/// <param name="Text">What is wrong, in a sentence for the administrator, shown in their language.</param>
internal sealed record TemplateProblem(string Part, int? Line, int? Column, ValidationMessage Text)
{
    /// <summary>Gets what is wrong, in English, as the logs show it.</summary>
    public string Message => Text.ToString();
}
