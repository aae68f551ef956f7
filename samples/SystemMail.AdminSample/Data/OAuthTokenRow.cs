namespace SystemMail.AdminSample.Data;

/// <summary>One value of SystemMail's token store (the tokens, or a pending "Generate access token"): protected bytes and a version.</summary>
public sealed class OAuthTokenRow
{
    public string Key { get; set; } = string.Empty;

    public byte[] Value { get; set; } = [];

    public string Version { get; set; } = string.Empty;
}
