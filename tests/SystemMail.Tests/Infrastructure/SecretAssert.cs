using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging.Testing;

namespace SystemMail.Tests.Infrastructure;

/// <summary>Assertions that a password never shows in an exception or a log line, as it is or as SASL or HTTP Basic sends it.</summary>
internal static class SecretAssert
{
    /// <summary>A password no message could contain by chance.</summary>
    public static string NewMarkerPassword() => $"Pw-{Guid.NewGuid():N}";

    public static void NotIn(SystemMailException exception, string password, string? username = null)
    {
        var forms = Forms(password, username);
        NotInText(exception.Message, forms, "the exception message");
        NotInText(exception.GetHint(CultureInfo.InvariantCulture), forms, "the hint");
        NotInText(exception.GetHint(CultureInfo.GetCultureInfo("zh-Hans")), forms, "the Simplified Chinese hint");
        NotInText(exception.ServerResponse, forms, "the server response");
        NotInText(exception.ToString(), forms, "the exception's ToString()");
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            NotInText(inner.Message, forms, $"the message of {inner.GetType().Name}");
        }
    }

    public static void NotIn(FakeLogCollector logs, string password, string? username = null)
    {
        var forms = Forms(password, username);
        foreach (var record in logs.GetSnapshot())
        {
            var where = $"log record {record.Id} ({record.Level})";
            NotInText(record.Message, forms, where);
            NotInText(record.Exception?.ToString(), forms, where + " exception");
            foreach (var (key, value) in record.StructuredState ?? [])
            {
                NotInText(key, forms, where + " state key");
                NotInText(value, forms, $"{where} state '{key}'");
            }
        }
    }

    private static void NotInText(string? text, IReadOnlyList<string> forms, string where)
    {
        foreach (var form in forms)
        {
            Assert.False(text?.Contains(form, StringComparison.Ordinal) == true, $"The password appears in {where}: {text}");
        }
    }

    // The password itself, as AUTH LOGIN sends it (base64 alone), as AUTH PLAIN sends it (base64 of "\0user\0password")
    // and as an HTTP proxy's Basic Proxy-Authorization carries it (base64 of "user:password").
    private static List<string> Forms(string password, string? username)
    {
        var forms = new List<string> { password, Convert.ToBase64String(Encoding.UTF8.GetBytes(password)) };
        if (username is not null)
        {
            forms.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{username}\0{password}")));
            forms.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}\0{username}\0{password}")));
            forms.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }

        return forms;
    }
}
