using System.Globalization;

namespace SystemMail.Tests.Templates;

/// <summary>Lifetimes in the words of each language, with its plural forms and its numbers.</summary>
public sealed class DurationTextTests
{
    [Theory]
    [InlineData("en", "1 minute", "2 hours", "5 days")]
    [InlineData("zh-Hans", "1 分钟", "2 小时", "5 天")]
    [InlineData("zh-Hant", "1 分鐘", "2 小時", "5 天")]
    [InlineData("ja", "1分", "2時間", "5日間")]
    [InlineData("ko", "1분", "2시간", "5일")]
    [InlineData("de", "1 Minute", "2 Stunden", "5 Tage")]
    [InlineData("fr", "1 minute", "2 heures", "5 jours")]
    [InlineData("es", "1 minuto", "2 horas", "5 días")]
    [InlineData("pt-BR", "1 minuto", "2 horas", "5 dias")]
    [InlineData("ru", "1 минуту", "2 часа", "5 дней")]
    public void Format_OneMinuteTwoHoursFiveDays_UsesTheLanguagesWordsAndPluralForms(string language, string minute, string hours, string days)
    {
        // Arrange
        var culture = CultureInfo.GetCultureInfo(language);

        // Act
        var actual = new[] { TimeSpan.FromMinutes(1), TimeSpan.FromHours(2), TimeSpan.FromDays(5) }.Select(d => DurationText.Format(d, culture));

        // Assert
        Assert.Equal([minute, hours, days], actual);
    }

    [Theory]
    [InlineData("en", "1 hour", "1 day")]
    [InlineData("de", "1 Stunde", "1 Tag")]
    [InlineData("fr", "1 heure", "1 jour")]
    [InlineData("es", "1 hora", "1 día")]
    [InlineData("pt-BR", "1 hora", "1 dia")]
    [InlineData("fr-CA", "1 heure", "1 jour")]
    public void Format_One_IsSingular(string culture, string hour, string day)
    {
        // Act
        var actual = new[] { TimeSpan.FromHours(1), TimeSpan.FromDays(1) }.Select(d => DurationText.Format(d, CultureInfo.GetCultureInfo(culture)));

        // Assert
        Assert.Equal([hour, day], actual);
    }

    /// <summary>The Russian templates say "через {{ lifetime }}": the words are in the accusative, by CLDR's one/few/many.</summary>
    [Theory]
    [InlineData(1, "1 минуту")]
    [InlineData(2, "2 минуты")]
    [InlineData(4, "4 минуты")]
    [InlineData(5, "5 минут")]
    [InlineData(11, "11 минут")]
    [InlineData(12, "12 минут")]
    [InlineData(21, "21 минуту")]
    [InlineData(22, "22 минуты")]
    [InlineData(60 + 1, "1 час и 1 минуту")]
    [InlineData(2 * 60, "2 часа")]
    [InlineData(5 * 60, "5 часов")]
    [InlineData(21 * 60, "21 час")]
    [InlineData(1440, "1 день")]
    [InlineData(2 * 1440, "2 дня")]
    [InlineData(5 * 1440, "5 дней")]
    [InlineData(21 * 1440, "21 день")]
    [InlineData(111 * 1440, "111 дней")]
    public void Format_RussianCount_UsesTheAccusativeOfItsPluralForm(int minutes, string expected)
    {
        // Act
        var actual = DurationText.Format(TimeSpan.FromMinutes(minutes), CultureInfo.GetCultureInfo("ru-RU"));

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(90, "en", "1 hour and 30 minutes")]
    [InlineData(1440, "en", "1 day")]
    [InlineData(2, "en", "2 minutes")]
    [InlineData(2880, "zh-CN", "2 天")]
    [InlineData(30, "zh-Hans", "30 分钟")]
    [InlineData(1565, "en", "1 day, 2 hours and 5 minutes")]
    [InlineData(1565, "de", "1 Tag, 2 Stunden und 5 Minuten")]
    [InlineData(1565, "fr", "1 jour, 2 heures et 5 minutes")]
    [InlineData(1565, "es", "1 día, 2 horas y 5 minutos")]
    [InlineData(1565, "pt-BR", "1 dia, 2 horas e 5 minutos")]
    [InlineData(1565, "ru", "1 день, 2 часа и 5 минут")]
    [InlineData(90, "ja", "1時間30分")]
    [InlineData(1565, "ko", "1일 2시간 5분")]
    [InlineData(1565, "zh-Hant", "1 天 2 小時 5 分鐘")]
    public void Format_SeveralUnits_JoinsThemAsTheLanguageDoes(int minutes, string culture, string expected)
    {
        // Act
        var actual = DurationText.Format(TimeSpan.FromMinutes(minutes), CultureInfo.GetCultureInfo(culture));

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(20, "en", "1 minute")]
    [InlineData(61, "de", "2 Minuten")]
    public void Format_LessThanAMinute_RoundsUp(int seconds, string culture, string expected)
    {
        // Act
        var actual = DurationText.Format(TimeSpan.FromSeconds(seconds), CultureInfo.GetCultureInfo(culture));

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("en-US", "1,000 days")]
    [InlineData("de-DE", "1.000 Tage")]
    [InlineData("fr-FR", "1\u202f000 jours")]
    [InlineData("ja-JP", "1,000日間")]
    public void Format_ThousandDays_WritesTheNumberForTheCulture(string culture, string expected)
    {
        // Act
        var actual = DurationText.Format(TimeSpan.FromDays(1000), CultureInfo.GetCultureInfo(culture));

        // Assert
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("zh-TW", "2 小時")]
    [InlineData("zh-HK", "2 小時")]
    [InlineData("pt", "2 horas")]
    [InlineData("pt-PT", "2 horas")]
    [InlineData("de-AT", "2 Stunden")]
    [InlineData("es-MX", "2 horas")]
    [InlineData("ru-RU", "2 часа")]
    [InlineData("it", "2 hours")]
    [InlineData("", "2 hours")]
    public void Format_Culture_FollowsTheTemplatesFallback(string culture, string expected)
    {
        // Act
        var actual = DurationText.Format(TimeSpan.FromHours(2), CultureInfo.GetCultureInfo(culture));

        // Assert
        Assert.Equal(expected, actual);
    }
}
