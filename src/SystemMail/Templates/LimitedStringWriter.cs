using System.Globalization;
using System.Text;

namespace SystemMail;

/// <summary>
/// A <see cref="StringWriter"/> that refuses to hold more than a number of characters: Fluid limits the steps and the
/// recursion of a template, not what it writes, and one output tag in a loop can write a lot within the steps.
/// </summary>
internal sealed class LimitedStringWriter : StringWriter
{
    private readonly int _limit;

    public LimitedStringWriter(int limit)
        : base(CultureInfo.InvariantCulture)
    {
        _limit = limit;
    }

    public override void Write(char value)
    {
        Check(1);
        base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        Check(count);
        base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    public override void Write(string? value)
    {
        Check(value?.Length ?? 0);
        base.Write(value);
    }

    public override void Write(StringBuilder? value)
    {
        Check(value?.Length ?? 0);
        base.Write(value);
    }

    private void Check(int adding)
    {
        if ((long)GetStringBuilder().Length + adding > _limit)
        {
            throw new InvalidOperationException($"The template wrote more than {_limit:N0} characters.");
        }
    }
}
