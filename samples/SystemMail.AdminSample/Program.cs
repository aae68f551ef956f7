using SystemMail.AdminSample;

await using var app = await AdminSampleSite.BuildAsync(args);
await app.StartAsync();
Console.WriteLine($"""

    SystemMail admin sample: {string.Join(", ", app.Urls)}
      Mail server settings: {app.Urls.First()}{AdminSampleSite.SettingsPage}  (sign in as {app.Configuration["Sample:Administrator:Email"]} / {app.Configuration["Sample:Administrator:Password"]})
      Inbox (every mail the site sends; administrators only): {app.Urls.First()}/Inbox
    Press Ctrl+C to stop.
    """);
await app.WaitForShutdownAsync();
