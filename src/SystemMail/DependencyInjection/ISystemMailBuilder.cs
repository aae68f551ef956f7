namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures SystemMail after <c>AddSystemMail</c>: provider templates, mail templates and, in later features,
/// token stores. Every setting is an extension method on this interface.
/// </summary>
public interface ISystemMailBuilder
{
    /// <summary>Gets the service collection SystemMail is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>Gets the name of the options this builder configures (<see cref="Options.Options.DefaultName"/>).</summary>
    string Name { get; }
}
