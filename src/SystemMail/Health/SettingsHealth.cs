namespace SystemMail;

/// <summary>
/// What is wrong with the settings that validation cannot see, for the health check to report: saved settings that
/// cannot be read, told by the package that keeps them (SystemMail.AspNetCore). <see langword="null"/> when nothing is.
/// </summary>
/// <remarks>A state beside <see cref="SendHealth"/> rather than a second health check: a host that added SystemMail's check sees the reason there, with nothing more to register.</remarks>
internal sealed class SettingsHealth
{
    private string? _problem;

    /// <summary>Gets the problem, a sentence without secrets, or <see langword="null"/>.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    /// <summary>Sets the problem, or clears it with <see langword="null"/>.</summary>
    public void Report(string? problem) => Volatile.Write(ref _problem, problem);
}
