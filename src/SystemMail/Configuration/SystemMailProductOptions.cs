using System.ComponentModel.DataAnnotations;

namespace SystemMail;

/// <summary>What the mails say about the product that sends them.</summary>
public sealed class SystemMailProductOptions
{
    /// <summary>Gets or sets the product name shown in subjects and bodies. Defaults to <c>"SystemMail"</c>.</summary>
    [Required(ErrorMessage = "The field {0} is required: the product name the mails show.")]
    public string Name { get; set; } = "SystemMail";

    /// <summary>Gets or sets the product's home page, linked from the footer of every mail. Optional.</summary>
    public Uri? Url { get; set; }

    /// <summary>Gets or sets the address users can write to for help, shown in the footer. Optional.</summary>
    public string? SupportAddress { get; set; }
}
