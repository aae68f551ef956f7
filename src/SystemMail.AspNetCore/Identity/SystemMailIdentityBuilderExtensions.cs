using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SystemMail;
using SystemMail.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>ASP.NET Core Identity's mail through SystemMail.</summary>
public static class SystemMailIdentityBuilderExtensions
{
    /// <summary>
    /// Sends ASP.NET Core Identity's mail (<see cref="IEmailSender{TUser}"/>, used by <c>MapIdentityApi</c> and the
    /// Identity pages) as SystemMail's localized system mails: the confirmation link as the activation mail, the reset
    /// link as the password-reset mail, the reset code as the password-reset code mail. Replaces Identity's no-op sender.
    /// </summary>
    /// <typeparam name="TUser">The Identity user type.</typeparam>
    /// <param name="builder">The SystemMail builder.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// The mails are in <see cref="System.Globalization.CultureInfo.CurrentUICulture"/> (use request localization) and
    /// state how long the link or code stays valid, from Identity's token options. A mail that cannot be sent raises
    /// <see cref="SystemMailException"/>, so the user is not left waiting for a mail that never comes.
    /// </remarks>
    public static ISystemMailBuilder AddIdentityEmailSender<TUser>(this ISystemMailBuilder builder)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Transient<IEmailSender<TUser>, SystemMailEmailSender<TUser>>());
        return builder;
    }
}
