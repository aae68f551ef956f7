using MimeKit;

namespace SystemMail;

internal sealed partial class SystemMailer
{
    /// <summary>One mail on its way through one generation's pipeline; every attempt runs <see cref="RunAsync"/>.</summary>
    internal sealed class Send(IMailTransport transport, MailGeneration generation, MimeMessage message, TimeProvider time)
    {
        /// <summary>Gets whether the first attempt went to the transport: from then on the mail stays with its generation.</summary>
        public bool Started { get; private set; }

        public async Task<string> RunAsync(CancellationToken cancellationToken)
        {
            if (!Started)
            {
                // Retired while this mail waited for a sending permit: it starts over under the current settings.
                ObjectDisposedException.ThrowIf(generation.IsRetired, generation);
                Started = true;
            }

            // The provider asked every sender to wait (Retry-After): this mail too, not only the one it refused.
            await generation.Backoff.WaitAsync(time, generation.Settings.Options.Retry?.MaxDelay ?? new SmtpRetryOptions().MaxDelay, cancellationToken).ConfigureAwait(false);
            try
            {
                return await transport.SendAsync(generation, message, cancellationToken).ConfigureAwait(false);
            }
            catch (SystemMailException ex) when (ex.RetryAfter is { } retryAfter && ex.StatusCode is not null)
            {
                generation.Backoff.Until(time.GetUtcNow() + retryAfter);
                throw;
            }
        }
    }
}
