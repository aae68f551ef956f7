namespace SystemMail.AdminSample.Data;

/// <summary>The one row of saved mail settings: SystemMail's protected bytes and their version.</summary>
public sealed class MailSettingsRow
{
    public int Id { get; set; }

    public byte[] Value { get; set; } = [];

    public string Version { get; set; } = string.Empty;
}
