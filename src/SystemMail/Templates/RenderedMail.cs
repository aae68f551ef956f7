namespace SystemMail;

/// <summary>A rendered system mail: subject, HTML body and plain-text body.</summary>
internal sealed record RenderedMail(string Subject, string Html, string Text);
