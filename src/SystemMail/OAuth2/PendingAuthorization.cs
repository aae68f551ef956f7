namespace SystemMail;

/// <summary>A started authorization, kept in the token store until its callback (so any instance of a farm can complete it).</summary>
internal sealed class PendingAuthorization
{
    public required string CodeVerifier { get; init; }

    public required Dictionary<string, string> Fingerprint { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public string? BoundTo { get; init; }
}
