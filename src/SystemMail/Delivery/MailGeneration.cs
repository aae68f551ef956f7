using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;

namespace SystemMail;

/// <summary>
/// All that a mail is sent under, built from one options snapshot and never changed: the effective settings, the
/// resilience pipeline (retry and the provider's sending limit, <see cref="SendPolicy"/>) and the pool partition (slots
/// and idle connections). A mail takes one generation, is rendered with its settings and is sent through its pipeline
/// and partition, so a mail rendered under one snapshot is never sent under another.
/// </summary>
/// <remarks>
/// <para>
/// When the settings change, <see cref="SmtpSettingsSource"/> installs the next generation and retires this one: its
/// idle connections are closed (QUIT) at once, connections in use when they come back, and its pipeline, with the rate
/// limiter and its timer, is disposed after its last send.
/// </para>
/// <para>
/// That last step is Polly's own: a pipeline that a <see cref="ResiliencePipelineRegistry{TKey}"/> builds tracks its
/// executions, and disposing the registry waits for them to finish (looking again every second on the pipeline's
/// <see cref="TimeProvider"/>) before it disposes the pipeline and runs the
/// <see cref="ConfigureBuilderContext{TKey}.OnPipelineDisposed"/> callbacks. Polly 8.9.1's registry cannot remove a
/// single key, and its reloads (<see cref="ConfigureBuilderContext{TKey}.AddReloadToken"/>) swap the strategies inside
/// one pipeline, so a send that already took a generation would run under the next one's limiter and retry; hence one
/// registry per generation, holding its one pipeline, disposed when the generation retires. Polly stops waiting after
/// 30 seconds: a send still retrying then goes on without a sending permit (<see cref="SendingLimiter"/>).
/// </para>
/// <para>
/// A send that has not started when its generation retires (it read the generation just before the swap, or waited
/// for a sending permit meanwhile) finds the pipeline disposed or the generation retired: the mailer renders it again
/// under the current generation (see <see cref="IsRetired"/>).
/// </para>
/// </remarks>
internal sealed class MailGeneration : IDisposable
{
    private const string PipelineKey = "send";
    private readonly ResiliencePipelineRegistry<string> _registry = new();
    private readonly TaskCompletionSource _pipelineDisposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SendingLimiter? _limiter;
    private int _retired;

    public MailGeneration(SmtpSettings settings, TimeProvider time, SystemMailTelemetry telemetry, ILogger logger)
    {
        Settings = settings;
        Connections = new PoolPartition(settings.Options, time);
        Pipeline = _registry.GetOrAddPipeline(PipelineKey, (builder, context) =>
        {
            _limiter = SendPolicy.Configure(builder, context, settings, time, telemetry, logger);
            context.OnPipelineDisposed(() => _pipelineDisposed.TrySetResult());
        });
    }

    public SmtpSettings Settings { get; }

    /// <summary>Gets the retry and the sending limit; it throws <see cref="ObjectDisposedException"/> once disposed.</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>Gets the pause the provider asked for (<c>Retry-After</c>), which every send of the generation waits out.</summary>
    public ProviderBackoff Backoff { get; } = new();

    /// <summary>Gets the connections opened with these settings (for Graph, only their slots bound the concurrent requests).</summary>
    public PoolPartition Connections { get; }

    /// <summary>Gets the provider's sending limit, or <see langword="null"/> when sends are not paced.</summary>
    public SendingLimiter? Limiter => _limiter;

    /// <summary>Gets whether newer settings replaced these (or the source was disposed).</summary>
    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>Gets a task that completes when the pipeline and its rate limiter are disposed, after the last send.</summary>
    public Task PipelineDisposed => _pipelineDisposed.Task;

    /// <summary>
    /// Retires the generation: its partition keeps no connection from now on, and its pipeline is disposed once the
    /// sends running through it are done.
    /// </summary>
    /// <param name="reason">Why, as the closed connections log it.</param>
    /// <returns>The idle connections, for the caller to close.</returns>
    public IReadOnlyList<PooledConnection> Retire(string reason)
    {
        if (Interlocked.Exchange(ref _retired, 1) != 0)
        {
            return [];
        }

        var idle = Connections.Retire(reason);
        DisposePipelineAfterLastSend();
        return idle;
    }

    /// <summary>Retires the generation and closes its idle connections at once, without QUIT.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0)
        {
            Connections.Dispose();
            DisposePipelineAfterLastSend();
        }
    }

    // Not awaited: Polly waits for the running sends; nothing here needs to.
    private void DisposePipelineAfterLastSend() => _ = _registry.DisposeAsync().AsTask();
}
