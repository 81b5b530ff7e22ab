using System.Globalization;
using System.Text;
using HandsBot.Rendering.Dialects;
using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Splitting;

/// <summary>
/// Lays the tokens out into parts no longer than the limit (as the dialect counts). A part ends, in
/// order of preference, between blocks, between lines, between words, or (for a word longer than a
/// part) at a grapheme boundary; never inside a tag, an entity, a code span or a surrogate pair.
/// Every markup open at the end of a part is closed there and reopened at the start of the next.
/// </summary>
internal sealed class PartSplitter(ChatDialect dialect, RenderedDocument document)
{
    private readonly IReadOnlyList<Token> tokens = document.Tokens;
    private readonly StringBuilder text = new();
    private readonly StringBuilder scratch = new();

    // State of the part being laid out.
    private Position position;
    private OpenMarkup? stack;
    private int used;
    private int limit;
    private Position start;
    private OpenMarkup? startStack;
    private Snapshot? betweenBlocks, betweenLines, betweenWords;
    private bool visible;

    // Before the markups just opened, when nothing was written inside them yet: cutting after them would leave them empty.
    private Snapshot? beforeOpened;
    private bool afterOpen;

    // The last word boundary inside text appended whole, measured only if a cut needs it.
    private PendingWord? lastWordInText;

    private readonly record struct PendingWord(Position From, int WordStart, int Length, int Used, OpenMarkup? Stack, bool Visible, bool Code);

    /// <summary>Splits from the start, stopping after <paramref name="maxParts"/> parts.</summary>
    /// <returns>The parts, and whether text remained after the last one.</returns>
    public (List<Part> Parts, bool Truncated) Split(int limit, int maxParts)
    {
        this.limit = limit;
        var parts = new List<Part>();
        position = new Position(0, 0);
        stack = null;
        while (parts.Count < maxParts && HasVisibleTextFrom(position))
        {
            var part = NextPart();
            if (visible) parts.Add(part);
        }
        return (parts, HasVisibleTextFrom(position));
    }

    /// <summary>Renders a part again without markup (kept: bullets and indentation), for a platform that rejected it.</summary>
    public string Plain(Part part)
    {
        if (!dialect.HasPlainMode) return part.Text;
        var plain = new StringBuilder();
        var stack = part.StartStack;
        foreach (var node in OpenMarkup.Outermost(stack))
        {
            if (node.Markup.Visible) plain.Append(node.Markup.Continuation ?? node.Markup.Open);
        }
        var started = false;
        for (var i = part.Start.Token; i < tokens.Count && i <= part.End.Token; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.Text:
                    var from = i == part.Start.Token ? part.Start.Offset : 0;
                    var to = i == part.End.Token ? part.End.Offset : token.Length;
                    if (to <= from) break;
                    plain.Append(document.TextOf(token)[from..to]);
                    started = true;
                    break;
                case TokenKind.Open when i < part.End.Token:
                    stack = new OpenMarkup(token.Markup!, stack);
                    if (stack.Markup.Visible) plain.Append(stack.Markup.Open);
                    break;
                case TokenKind.Close when i < part.End.Token:
                    stack = stack!.Parent;
                    break;
                case TokenKind.NewLine when started && i < part.End.Token:
                    var prefix = stack?.VisibleLinePrefix ?? "";
                    if (token.Blank) plain.Append('\n').Append(OpenMarkup.ForBlankLine(prefix));
                    plain.Append('\n').Append(prefix);
                    break;
            }
        }
        return plain.ToString();
    }

    private Part NextPart()
    {
        start = position;
        startStack = stack;
        text.Clear();
        used = 0;
        foreach (var node in OpenMarkup.Outermost(stack))
        {
            node.WriteReopen(text);
            used += node.ReopenCost;
        }

        visible = false;
        var content = false;
        var afterSpace = true;
        afterOpen = false;
        betweenBlocks = betweenLines = betweenWords = beforeOpened = null;
        lastWordInText = null;
        var i = position.Token;
        var offset = position.Offset;

        for (; i < tokens.Count; i++, offset = 0)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case TokenKind.Open:
                {
                    if (content && afterSpace && !afterOpen) SetWordBoundary(Here(i, 0));
                    if (!afterOpen) beforeOpened = content ? Here(i, 0) : null;
                    var node = new OpenMarkup(token.Markup!, stack);
                    if (used + node.OpenCost + node.CloseCostTotal > limit)
                    {
                        if (content) return Cut(Fallback(i, 0));
                        // Not even an empty part can hold it (a huge link): keep the text, drop the markup.
                        node = new OpenMarkup(new Markup { Open = "", IsCode = token.Markup!.IsCode }, stack);
                    }
                    node.WriteOpen(text);
                    used += node.OpenCost;
                    stack = node;
                    afterOpen = true;
                    break;
                }
                case TokenKind.Close:
                    stack!.WriteClose(text);
                    used += stack.OwnCloseCost;
                    stack = stack.Parent;
                    afterOpen = false;
                    afterSpace = false;
                    break;
                case TokenKind.NewLine:
                {
                    if (!content) break; // a part never starts with a line break
                    var snapshot = new Snapshot(new Position(i, 0), new Position(i + 1, 0), text.Length, used, stack, visible);
                    if (token.BetweenBlocks) betweenBlocks = snapshot;
                    else betweenLines = snapshot;
                    var prefix = stack?.LinePrefix ?? "";
                    var blankPrefix = token.Blank ? OpenMarkup.ForBlankLine(prefix) : "";
                    var cost = 1 + prefix.Length + (token.Blank ? 1 + blankPrefix.Length : 0);
                    if (used + cost + (stack?.CloseCostTotal ?? 0) > limit) return Cut(Best()!.Value);
                    if (token.Blank) text.Append('\n').Append(blankPrefix);
                    text.Append('\n').Append(prefix);
                    used += cost;
                    afterSpace = true;
                    afterOpen = false;
                    break;
                }
                case TokenKind.Text:
                {
                    var value = document.TextOf(token);
                    var code = stack?.InCode ?? false;
                    var closing = stack?.CloseCostTotal ?? 0;
                    if (content && afterSpace && !afterOpen) SetWordBoundary(Here(i, offset));
                    if (TryAppendWhole(i, offset, code, closing))
                    {
                        offset = value.Length;
                        content = true;
                        afterOpen = false;
                        afterSpace = char.IsWhiteSpace(value[^1]);
                        break;
                    }
                    while (offset < value.Length)
                    {
                        var end = token.Atomic ? value.Length : NextWordEnd(value, offset);
                        if (content && afterSpace && !afterOpen) SetWordBoundary(Here(i, offset));
                        var before = text.Length;
                        var cost = dialect.AppendText(text, value[offset..end], code);
                        if (used + cost + closing > limit)
                        {
                            text.Length = before;
                            if (content) return Cut(Fallback(i, offset));
                            // A word longer than a whole part: as much of it as fits.
                            end = HardSplit(value, offset, end, code, limit - used - closing);
                            cost = dialect.AppendText(text, value[offset..end], code);
                            used += cost;
                            visible |= !value[offset..end].IsWhiteSpace();
                            offset = end;
                            return Cut(Here(i, offset));
                        }
                        used += cost;
                        visible |= !value[offset..end].IsWhiteSpace();
                        content = true;
                        afterOpen = false;
                        afterSpace = char.IsWhiteSpace(value[end - 1]);
                        offset = end;
                    }
                    break;
                }
            }
        }

        position = new Position(tokens.Count, 0);
        return Finish(position);
    }

    /// <summary>
    /// The common case: the rest of a text token fits. It is appended in one go, and its last word
    /// boundary remembered without being measured until a cut needs it.
    /// </summary>
    private bool TryAppendWhole(int token, int offset, bool code, int closing)
    {
        var value = document.TextOf(tokens[token]);
        var before = text.Length;
        var cost = dialect.AppendText(text, value[offset..], code);
        if (used + cost + closing > limit)
        {
            text.Length = before;
            return false;
        }
        var lastWord = tokens[token].Atomic ? -1 : LastWordStart(value, offset);
        if (lastWord > offset)
        {
            betweenWords = null;
            lastWordInText = new PendingWord(new Position(token, offset), lastWord, before, used, stack, visible, code);
        }
        used += cost;
        visible |= !value[offset..].IsWhiteSpace();
        return true;
    }

    private void SetWordBoundary(Snapshot snapshot)
    {
        betweenWords = snapshot;
        lastWordInText = null;
    }

    /// <summary>The start of the last word after <paramref name="from"/> that follows whitespace, or -1.</summary>
    private static int LastWordStart(ReadOnlySpan<char> value, int from)
    {
        var i = value.Length - 1;
        while (i > from && char.IsWhiteSpace(value[i])) i--;
        while (i > from && !char.IsWhiteSpace(value[i - 1])) i--;
        return i > from ? i : -1;
    }

    /// <summary>The best boundary, else right here (but not just inside markups opened with nothing in them yet).</summary>
    private Snapshot Fallback(int token, int at) => Best() ?? (afterOpen ? beforeOpened : null) ?? Here(token, at);

    private Snapshot Here(int token, int at) => new(new Position(token, at), new Position(token, at), text.Length, used, stack, visible);

    // The latest block boundary if it leaves the part at least half full, else the latest line
    // boundary if so, else a word boundary: a long block still fills its parts.
    private Snapshot? Best()
    {
        if (lastWordInText is { } pending)
        {
            // Measure the text up to the remembered word boundary now that a cut may happen there.
            var prefix = document.TextOf(tokens[pending.From.Token])[pending.From.Offset..pending.WordStart];
            scratch.Clear();
            var cost = dialect.AppendText(scratch, prefix, pending.Code);
            var at = new Position(pending.From.Token, pending.WordStart);
            betweenWords = new Snapshot(at, at, pending.Length + scratch.Length, pending.Used + cost, pending.Stack, pending.Visible || !prefix.IsWhiteSpace());
            lastWordInText = null;
        }
        foreach (var candidate in (ReadOnlySpan<Snapshot?>)[betweenBlocks, betweenLines, betweenWords])
        {
            if (candidate is { } s && s.Used >= limit / 2) return s;
        }
        Snapshot? latest = null;
        foreach (var candidate in (ReadOnlySpan<Snapshot?>)[betweenBlocks, betweenLines, betweenWords])
        {
            if (candidate is { } s && (latest is null || s.Used > latest.Value.Used)) latest = s;
        }
        return latest;
    }

    private Part Cut(Snapshot at)
    {
        text.Length = at.Length;
        stack = at.Stack;
        visible = at.Visible;
        position = at.Resume;
        return Finish(at.End);
    }

    private Part Finish(Position end)
    {
        for (var node = stack; node is not null; node = node.Parent) node.WriteClose(text);
        return new Part(text.ToString(), start, startStack, end);
    }

    private bool HasVisibleTextFrom(Position at)
    {
        for (var i = at.Token; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind != TokenKind.Text) continue;
            var from = i == at.Token ? at.Offset : 0;
            if (!document.TextOf(token)[from..].IsWhiteSpace()) return true;
        }
        return false;
    }

    /// <summary>The end of the word at <paramref name="start"/>, with the whitespace after it.</summary>
    private static int NextWordEnd(ReadOnlySpan<char> value, int start)
    {
        var i = start;
        while (i < value.Length && !char.IsWhiteSpace(value[i])) i++;
        while (i < value.Length && char.IsWhiteSpace(value[i])) i++;
        return i;
    }

    /// <summary>
    /// The furthest grapheme boundary (code point boundary inside a grapheme too long by itself) whose
    /// prefix fits the budget; at least one code point, so splitting always progresses.
    /// </summary>
    private int HardSplit(ReadOnlySpan<char> value, int start, int end, bool code, int budget)
    {
        var boundaries = new List<int>();
        for (var i = start; i < end;)
        {
            var length = StringInfo.GetNextTextElementLength(value[i..end]);
            i += Math.Max(length, 1);
            boundaries.Add(i);
        }
        var best = Furthest(value, start, boundaries, code, budget);
        if (best > start) return best;

        boundaries.Clear();
        for (var i = start; i < end;)
        {
            i += i + 1 < end && char.IsSurrogatePair(value[i], value[i + 1]) ? 2 : 1;
            boundaries.Add(i);
        }
        best = Furthest(value, start, boundaries, code, budget);
        return best > start ? best : boundaries[0];
    }

    /// <summary>The furthest of the (ascending) candidate ends whose text from <paramref name="start"/> fits the budget, else start.</summary>
    private int Furthest(ReadOnlySpan<char> value, int start, List<int> candidates, bool code, int budget)
    {
        int low = 0, high = candidates.Count - 1, found = start;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            scratch.Clear();
            if (dialect.AppendText(scratch, value[start..candidates[middle]], code) <= budget)
            {
                found = candidates[middle];
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return found;
    }
}
