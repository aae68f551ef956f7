using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MimeKit;
using SystemMail;
using SystemMail.Sample;

// An SMTP inbox inside this process stands in for the mail provider: no account, no network.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var inbox = LocalInbox.Start(builder.Configuration["SystemMail:Username"]!, builder.Configuration["SystemMail:Password"]!);
await using var _ = inbox;
builder.Configuration["SystemMail:Port"] = inbox.Port.ToString(CultureInfo.InvariantCulture);

// What a host does: one call, settings from the "SystemMail" section, validated at start-up.
// appsettings.json keeps SystemMail's log at Warning; set it to Information to see a log line for each mail.
builder.Services.AddSystemMail(builder.Configuration);
using var host = builder.Build();
await host.StartAsync();

Console.WriteLine($"Sending system mail to an SMTP inbox embedded in this sample, on 127.0.0.1:{inbox.Port} (no account, no network).\n");
var mailer = host.Services.GetRequiredService<ISystemMailer>();
var user = "new.user@acme.test";
var activation = await mailer.SendActivationAsync(user, new Uri("https://iot.acme.test/activate?token=8f2c1e"), TimeSpan.FromHours(24));
Console.WriteLine($"Sent activation mail: {activation.MessageId}");
var reset = await mailer.SendPasswordResetAsync(user, new Uri("https://iot.acme.test/reset?token=51ab90"), TimeSpan.FromMinutes(30), CultureInfo.GetCultureInfo("zh-CN"));
Console.WriteLine($"Sent password-reset mail (Simplified Chinese): {reset.MessageId}");
var test = await mailer.SendTestMailAsync("admin@acme.test");
Console.WriteLine($"Sent test mail: {test.MessageId}");

// What a settings page's "Test connection" does: try the form's values over the saved ones before saving them, and show the report.
var diagnostics = host.Services.GetRequiredService<ISystemMailDiagnostics>();
var report = await diagnostics.TestConnectionAsync(form => form.Password = "a-mistyped-password", CultureInfo.GetCultureInfo("en"));
Console.Write($"\nTest connection with a mistyped password:\n{report}");

// Show what arrived, and keep each mail as an .eml file to open in a mail client.
var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "inbox"));
Console.WriteLine($"\nThe inbox on 127.0.0.1:{inbox.Port} received {inbox.Messages.Count} mails (saved in {folder.FullName}):");
var number = 0;
foreach (var message in inbox.Messages)
{
    var file = Path.Combine(folder.FullName, $"{++number:00}.eml");
    await message.WriteToAsync(file);
    Console.WriteLine();
    Console.WriteLine(new string('-', 72));
    Console.WriteLine($"To:      {message.To}");
    Console.WriteLine($"Subject: {message.Subject}");
    Console.WriteLine($"File:    {file}");
    Console.WriteLine();
    Console.WriteLine(message.TextBody?.Trim());
}

await host.StopAsync();
