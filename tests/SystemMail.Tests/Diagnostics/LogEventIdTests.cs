using System.Reflection;
using Microsoft.Extensions.Logging;

namespace SystemMail.Tests.Diagnostics;

/// <summary>Event ids are how hosts filter and alert on SystemMail's log lines: each names one line.</summary>
public sealed class LogEventIdTests
{
    [Fact]
    public void LoggerMessages_SystemMailAssembly_EveryEventIdNamesOneLine()
    {
        var lines = typeof(ISystemMailer).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        Assert.NotEmpty(lines);
        var shared = lines
            .GroupBy(x => x.Attribute!.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Method.Name))}")
            .ToList();
        Assert.Empty(shared);
    }
}
