using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// What the tests' HTTPS servers (<see cref="OAuth2TestServer"/>, the Graph endpoint) run on: Kestrel alone on
/// https://127.0.0.1 at a port the operating system picks, one handler for every request.
/// </summary>
internal static class LoopbackHttpsApp
{
    public static WebApplication Create(X509Certificate2 certificate, RequestDelegate handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        var app = builder.Build();
        app.Run(handler);
        return app;
    }

    /// <summary>Starts <paramref name="app"/> and returns the port it listens on.</summary>
    public static async Task<int> StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address).Port;
    }

    /// <summary>Stops and disposes <paramref name="app"/>: idle keep-alive connections close at once, a request still held is cut after a second.</summary>
    public static async Task StopAsync(WebApplication app)
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await app.StopAsync(stopping.Token);
        }

        await app.DisposeAsync();
    }
}
