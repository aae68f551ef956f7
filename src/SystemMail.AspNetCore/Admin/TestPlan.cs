namespace SystemMail.AspNetCore;

/// <summary>How a test runs: the validated options, whether they are a form's unsaved values, or why it cannot run.</summary>
/// <param name="Options">The options to test, or <see langword="null"/> when they failed validation.</param>
/// <param name="Unsaved">Whether the options are a form's unsaved values over the saved settings.</param>
/// <param name="ProviderInformationUnchanged">Whether the provider information is the saved one (tokens may be refreshed and kept).</param>
/// <param name="Errors">The validation errors by field, or <see langword="null"/>.</param>
internal sealed record TestPlan(SystemMailOptions? Options, bool Unsaved, bool ProviderInformationUnchanged, Dictionary<string, string[]>? Errors);
