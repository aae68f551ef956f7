namespace SystemMail;

/// <summary>One reason a template cannot be saved, with where it is when there is a place to point at.</summary>
/// <param name="Part"><c>subject</c>, <c>html</c> or <c>text</c>.</param>
/// <param name="Line">The line, from 1, or <see langword="null"/>.</param>
/// <param name="Column">The column, from 1, or <see langword="null"/>.</param>
/// <param name="Message">What is wrong, in a sentence for the administrator.</param>
internal sealed record TemplateProblem(string Part, int? Line, int? Column, string Message);
