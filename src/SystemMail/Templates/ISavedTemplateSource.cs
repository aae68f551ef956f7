namespace SystemMail;

/// <summary>
/// Where the renderer finds the templates an administrator saved. The default has none; SystemMail.AspNetCore's
/// <c>AddAdmin()</c> puts <see cref="StoredMailTemplates"/> in its place, which keeps them in the <see cref="IOAuthTokenStore"/>.
/// </summary>
internal interface ISavedTemplateSource
{
    /// <summary>Gets the templates as last read; never blocks.</summary>
    SavedMailTemplates Current { get; }

    /// <summary>
    /// Reads the templates again when the store holds a newer version, so a template saved on another instance applies to
    /// the next mail here. Never throws for the store: a store that cannot be read leaves <see cref="Current"/> as it was.
    /// </summary>
    /// <param name="cancellationToken">A token that cancels the read.</param>
    /// <returns>A task that completes when <see cref="Current"/> is up to date.</returns>
    ValueTask RefreshAsync(CancellationToken cancellationToken = default);
}

/// <summary>No saved templates: the host's and the built-in ones apply.</summary>
internal sealed class NoSavedTemplates : ISavedTemplateSource
{
    public static readonly NoSavedTemplates Instance = new();

    public SavedMailTemplates Current => SavedMailTemplates.Empty;

    public ValueTask RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
