using System.Collections;

namespace HandsBot.Rendering.Splitting;

/// <summary>
/// Plain parts, each rendered the first time it is read: they are only needed when a platform rejects
/// a formatted part, so the common case never pays for them.
/// </summary>
internal sealed class LazyPlainParts(PartSplitter splitter, IReadOnlyList<Part> parts, string suffix = "") : IReadOnlyList<string>
{
    private readonly string?[] rendered = new string?[parts.Count];

    public int Count => parts.Count;

    public string this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, parts.Count);
            return rendered[index] ??= splitter.Plain(parts[index]) + suffix;
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < parts.Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
