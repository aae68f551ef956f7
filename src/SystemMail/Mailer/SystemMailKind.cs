namespace SystemMail;

/// <summary>The system mails SystemMail sends, each with its own template.</summary>
public enum SystemMailKind
{
    /// <summary>A new user is asked to activate the account (template variables: <c>link</c>, <c>lifetime</c>).</summary>
    Activation = 0,

    /// <summary>The account was activated (template variables: <c>link</c>, the login page).</summary>
    AccountActivated = 1,

    /// <summary>A password reset was requested (template variables: <c>link</c>, <c>lifetime</c>).</summary>
    PasswordReset = 2,

    /// <summary>The password was reset (template variables: <c>link</c>, the login page).</summary>
    PasswordWasReset = 3,

    /// <summary>The account was locked out (template variables: <c>lockout_end</c>, <c>link</c>; either may be empty).</summary>
    AccountLockedOut = 4,

    /// <summary>A one-time code for email two-factor sign-in (template variables: <c>code</c>, <c>lifetime</c>).</summary>
    VerificationCode = 5,

    /// <summary>The administrator's test mail (template variables: <c>endpoint</c>, <c>provider</c>).</summary>
    Test = 6,

    /// <summary>A code that resets the password where the user asked for it (template variables: <c>code</c>, <c>lifetime</c>).</summary>
    PasswordResetCode = 7,
}
