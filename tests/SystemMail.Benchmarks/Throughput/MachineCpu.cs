using System.Globalization;

namespace SystemMail.Benchmarks.Throughput;

/// <summary>The time all the machine's cores spent busy, from <c>/proc/stat</c>: what a server in another process uses shows here.</summary>
internal static class MachineCpu
{
    /// <summary>The kernel's clock tick for /proc/stat (USER_HZ), 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Gets the busy time summed over all cores since boot, or <see cref="TimeSpan.Zero"/> without /proc/stat.</summary>
    public static TimeSpan Busy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is already in user.
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = ticks.Sum() - ticks[3] - ticks[4];
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
