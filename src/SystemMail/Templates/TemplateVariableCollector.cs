using Fluid;
using Fluid.Ast;

namespace SystemMail;

/// <summary>Walks a parsed template for the variables it reads and the ones it makes itself (assign, capture, for and so on).</summary>
internal sealed class TemplateVariableCollector : AstVisitor
{
    /// <summary>Names Liquid gives a template inside its tags.</summary>
    private static readonly string[] BuiltIn = ["forloop", "tablerowloop", "empty", "blank", "nil", "null", "true", "false"];

    private readonly HashSet<string> _declared = new(BuiltIn, StringComparer.Ordinal);

    /// <summary>Gets the variables the template reads, in the order first met.</summary>
    public List<string> Used { get; } = [];

    /// <summary>Gets the variables the template reads that it does not make itself.</summary>
    public static IEnumerable<string> FreeVariables(IFluidTemplate template)
    {
        var collector = new TemplateVariableCollector();
        collector.VisitTemplate(template);
        return collector.Used.Distinct(StringComparer.Ordinal).Where(v => !collector._declared.Contains(v));
    }

    protected override Expression VisitMemberExpression(MemberExpression memberExpression)
    {
        if (memberExpression.Segments.Count > 0 && memberExpression.Segments[0] is IdentifierSegment identifier)
        {
            Used.Add(identifier.Identifier);
        }

        return base.VisitMemberExpression(memberExpression);
    }

    protected override Statement VisitAssignStatement(AssignStatement assignStatement)
    {
        _declared.Add(assignStatement.Identifier);
        return base.VisitAssignStatement(assignStatement);
    }

    protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
    {
        _declared.Add(captureStatement.Identifier);
        return base.VisitCaptureStatement(captureStatement);
    }

    protected override Statement VisitForStatement(ForStatement forStatement)
    {
        _declared.Add(forStatement.Identifier);
        return base.VisitForStatement(forStatement);
    }

    protected override Statement VisitTableRowStatement(TableRowStatement tableRowStatement)
    {
        _declared.Add(tableRowStatement.Identifier);
        return base.VisitTableRowStatement(tableRowStatement);
    }

    protected override Statement VisitIncrementStatement(IncrementStatement incrementStatement)
    {
        _declared.Add(incrementStatement.Identifier);
        return base.VisitIncrementStatement(incrementStatement);
    }

    protected override Statement VisitDecrementStatement(DecrementStatement decrementStatement)
    {
        _declared.Add(decrementStatement.Identifier);
        return base.VisitDecrementStatement(decrementStatement);
    }
}
