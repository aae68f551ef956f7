using Microsoft.Extensions.Logging.Testing;

namespace SystemMail.Tests.Infrastructure;

/// <summary>Assertions that a secret never shows in an exception or a log line.</summary>
internal static class SecretAssert
{
    /// <summary>A password no message could contain by chance.</summary>
    public static string NewMarkerPassword() => $"Pw-{Guid.NewGuid():N}";

    public static void NotIn(SystemMailException exception, string secret)
    {
        Assert.DoesNotContain(secret, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, exception.Hint ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, exception.ServerResponse ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, exception.ToString(), StringComparison.Ordinal);
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            Assert.DoesNotContain(secret, inner.Message, StringComparison.Ordinal);
        }
    }

    public static void NotIn(FakeLogCollector logs, string secret)
    {
        foreach (var record in logs.GetSnapshot())
        {
            Assert.DoesNotContain(secret, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                Assert.DoesNotContain(secret, key, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, value ?? string.Empty, StringComparison.Ordinal);
            }
        }
    }
}
