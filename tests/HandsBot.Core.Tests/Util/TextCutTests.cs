using HandsBot.Core.Util;
using HandsBot.Core.Text;

namespace HandsBot.Core.Tests.Util;

public sealed class TextCutTests
{
    [Theory]
    [InlineData("short", 10, "…", "short")]
    [InlineData("abcdef", 3, "…", "abc…")]
    [InlineData("ab😀cd", 3, "…", "ab…")] // the cut would fall inside the emoji's surrogate pair
    [InlineData("ab😀cd", 4, "+", "ab😀+")]
    public void Truncate_CutsWithoutSplittingSurrogatePairs(string text, int max, string suffix, string expected) =>
        Assert.Equal(expected, TextCut.Truncate(text, max, suffix));
}
