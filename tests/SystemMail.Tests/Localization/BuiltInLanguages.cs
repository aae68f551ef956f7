namespace SystemMail.Tests.Localization;

/// <summary>The languages the package ships its mails, hints and durations in.</summary>
internal static class BuiltInLanguages
{
    /// <summary>English, the neutral text, first.</summary>
    public static readonly string[] All = ["en", "zh-Hans", "zh-Hant", "ja", "ko", "de", "fr", "es", "pt-BR", "ru"];

    /// <summary>Every language but English.</summary>
    public static readonly string[] Translated = All[1..];

    /// <summary>The languages not written in Latin letters, where no English word belongs in a sentence.</summary>
    public static readonly string[] NonLatin = ["zh-Hans", "zh-Hant", "ja", "ko", "ru"];

    public static TheoryData<string> AllData() => [.. All];

    public static TheoryData<string> TranslatedData() => [.. Translated];
}
