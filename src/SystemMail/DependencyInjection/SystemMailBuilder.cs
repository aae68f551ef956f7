namespace Microsoft.Extensions.DependencyInjection;

internal sealed class SystemMailBuilder(IServiceCollection services) : ISystemMailBuilder
{
    public IServiceCollection Services { get; } = services;

    public string Name => Options.Options.DefaultName;
}
