namespace HandsBot.Rendering.Output;

/// <summary>
/// An immutable stack of open markups (innermost first). Being persistent, a snapshot of the
/// splitter's state is one reference, however often it is taken.
/// </summary>
internal sealed class OpenMarkup
{
    public OpenMarkup(Markup markup, OpenMarkup? parent)
    {
        Markup = markup;
        Parent = parent;
        Depth = (parent?.Depth ?? 0) + 1;
        var parentPrefix = parent?.LinePrefix ?? "";
        LinePrefix = markup.Continuation is null ? parentPrefix : parentPrefix + markup.Continuation;
        OwnCloseCost = markup.CloseCost + (markup.OnOwnLines ? 1 + parentPrefix.Length : 0);
        CloseCostTotal = (parent?.CloseCostTotal ?? 0) + OwnCloseCost;
        InCode = markup.IsCode || (parent?.InCode ?? false);
        var parentVisible = parent?.VisibleLinePrefix ?? "";
        VisibleLinePrefix = markup.Continuation is not null && markup.Visible ? parentVisible + markup.Continuation : parentVisible;
    }

    public Markup Markup { get; }
    public OpenMarkup? Parent { get; }
    public int Depth { get; }

    /// <summary>What follows every line break inside this span (all enclosing continuations).</summary>
    public string LinePrefix { get; }

    /// <summary>The prefix for an empty line: without trailing spaces, except the one a quote marker needs.</summary>
    public static string ForBlankLine(string prefix)
    {
        var trimmed = prefix.TrimEnd(' ');
        return trimmed.EndsWith('>') ? trimmed + " " : trimmed;
    }

    /// <summary>Cost of closing this span and all enclosing ones: reserved in every part.</summary>
    public int CloseCostTotal { get; }

    /// <summary>The part of <see cref="LinePrefix"/> that stays in plain text (indentation, plain quote markers).</summary>
    public string VisibleLinePrefix { get; }

    public int OwnCloseCost { get; }
    public bool InCode { get; }

    /// <summary>Cost of the opener as first written (line prefixes cost their length, as they are visible).</summary>
    public int OpenCost => Markup.OpenCost + (Markup.OnOwnLines ? 1 + ParentPrefix.Length : 0);

    /// <summary>Cost of reopening this span at the start of a later part.</summary>
    public int ReopenCost => Markup.Continuation is { } c ? c.Length : OpenCost;

    private string ParentPrefix => Parent?.LinePrefix ?? "";

    public void WriteOpen(System.Text.StringBuilder sb)
    {
        sb.Append(Markup.Open);
        if (Markup.OnOwnLines) sb.Append('\n').Append(ParentPrefix);
    }

    public void WriteReopen(System.Text.StringBuilder sb)
    {
        if (Markup.Continuation is { } c) sb.Append(c);
        else WriteOpen(sb);
    }

    public void WriteClose(System.Text.StringBuilder sb)
    {
        if (Markup.OnOwnLines) sb.Append('\n').Append(ParentPrefix);
        sb.Append(Markup.Close);
    }

    /// <summary>The stack from outermost to innermost.</summary>
    public static OpenMarkup[] Outermost(OpenMarkup? top)
    {
        if (top is null) return [];
        var result = new OpenMarkup[top.Depth];
        for (var node = top; node is not null; node = node.Parent) result[node.Depth - 1] = node;
        return result;
    }
}
