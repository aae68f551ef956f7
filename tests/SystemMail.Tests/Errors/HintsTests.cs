using System.Globalization;

namespace SystemMail.Tests.Errors;

public sealed class HintsTests
{
    private static readonly CultureInfo SimplifiedChinese = CultureInfo.GetCultureInfo("zh-Hans");

    public static TheoryData<string> HintNames() => [.. HintCatalog.All().Select(h => h.Member)];

    [Theory]
    [MemberData(nameof(HintNames))]
    public void Hint_EveryHint_HasItsMemberNameAsIdAndBothLanguages(string member)
    {
        // Arrange
        var hint = HintCatalog.All().Single(h => h.Member == member).Hint;

        // Act
        var english = hint.Text(CultureInfo.InvariantCulture);
        var chinese = hint.Text(SimplifiedChinese);

        // Assert
        Assert.Equal(member, hint.Id);
        Assert.Equal(english, hint.ToString());
        Assert.False(string.IsNullOrWhiteSpace(english));
        Assert.NotEqual(english, chinese);
        Assert.Contains(chinese, c => c is >= '\u4e00' and <= '\u9fff');
        Assert.DoesNotContain('{', english);
        Assert.DoesNotContain('{', chinese);
    }

    [Theory]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh-SG", "zh-Hans")]
    [InlineData("zh-Hant", "zh-Hant")]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("pt-PT", "pt-BR")]
    [InlineData("en-US", "en")]
    [InlineData("fr-FR", "fr")]
    [InlineData("it-IT", "en")]
    [InlineData("", "en")]
    public void LanguageOf_Culture_FollowsParentsAndFallsBackToEnglish(string culture, string expected)
    {
        // Act
        var language = Hint.LanguageOf(CultureInfo.GetCultureInfo(culture));

        // Assert
        Assert.Equal(expected, language);
    }

    [Fact]
    public void Text_WithArguments_PutsThemInBothLanguages()
    {
        // Arrange
        var hint = Hints.ConnectTimeout("smtp.example.com:465");

        // Act
        var english = hint.Text(CultureInfo.GetCultureInfo("en-GB"));
        var chinese = hint.Text(CultureInfo.GetCultureInfo("zh-CN"));

        // Assert
        Assert.StartsWith("No answer from smtp.example.com:465 in time", english, StringComparison.Ordinal);
        Assert.Contains("587 or 2525", english, StringComparison.Ordinal);
        Assert.StartsWith("smtp.example.com:465 未在规定时间内应答", chinese, StringComparison.Ordinal);
        Assert.Contains("587 或 2525", chinese, StringComparison.Ordinal);
    }

    [Fact]
    public void GetHint_ExceptionWithLocalizableHint_ReturnsTheCulturesText()
    {
        // Arrange
        var ex = new SystemMailException(SystemMailErrorKind.Connection, "The connection was refused.", Hints.ConnectionRefused("mail.example.com:25"));

        // Act
        var chinese = ex.GetHint(CultureInfo.GetCultureInfo("zh-CN"));
        var english = ex.GetHint(CultureInfo.GetCultureInfo("it-IT"));

        // Assert
        Assert.Equal(Hints.ConnectionRefused("mail.example.com:25").Text(SimplifiedChinese), chinese);
        Assert.Equal(ex.GetHint(CultureInfo.InvariantCulture), english);
        Assert.EndsWith(english!, ex.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(Hints.ConnectionRefused), ex.HintId);
    }

    [Fact]
    public void GetHint_HostsOwnHint_ReturnsItAsGiven()
    {
        // Arrange
        var ex = new SystemMailException(SystemMailErrorKind.Unknown, "Failed.", hint: "Call the help desk.");

        // Act
        var hint = ex.GetHint(CultureInfo.GetCultureInfo("zh-CN"));

        // Assert
        Assert.Equal("Call the help desk.", hint);
        Assert.Null(ex.HintId);
    }
}
