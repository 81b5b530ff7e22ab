using System.Text;
using HandsBot.Core.Running;

namespace HandsBot.Core.Tests.Running;

public sealed class OutputCaptureTests
{
    private static async Task<string> CaptureAsync(OutputCapture capture, params string[] chunks)
    {
        // One stream per chunk so the capture sees the same boundaries as separate pipe reads.
        foreach (var chunk in chunks)
        {
            await capture.ReadToEndAsync(new MemoryStream(Encoding.UTF8.GetBytes(chunk)));
        }

        return capture.Text();
    }

    [Theory]
    [InlineData(5, new[] { "ab", "cd" }, "abcd")]
    [InlineData(5, new[] { "abc", "def", "gh" }, "defgh")]
    [InlineData(5, new[] { "abcdefghij" }, "fghij")]
    [InlineData(5, new[] { "ab", "cdefghijkl", "m" }, "ijklm")]
    [InlineData(5, new[] { "abcde", "fghij" }, "fghij")]
    [InlineData(3, new[] { "a", "b", "c", "d", "e" }, "cde")]
    [InlineData(0, new[] { "abc" }, "")]
    [InlineData(4, new[] { "x€yz" }, "yz")] // the tail starts inside '€' (3 bytes): its remains are dropped
    public async Task Tail_KeepsLastBytesInOrder(int capacity, string[] chunks, string expected)
    {
        Assert.Equal(expected, await CaptureAsync(new TailCapture(capacity), chunks));
    }

    [Theory]
    [InlineData(null, new[] { "ab", "cd" }, "abcd", false)]
    [InlineData(3L, new[] { "ab", "cd" }, "abc", true)]
    [InlineData(4L, new[] { "ab", "cd" }, "abcd", false)]
    [InlineData(0L, new[] { "ab" }, "", true)]
    [InlineData(2L, new[] { "a€" }, "a", true)]
    [InlineData(4L, new[] { "a€" }, "a€", false)]
    public async Task Head_KeepsFirstBytes(long? limit, string[] chunks, string expected, bool truncated)
    {
        var capture = new HeadCapture(limit);

        Assert.Equal(expected, await CaptureAsync(capture, chunks));
        Assert.Equal(truncated, capture.Truncated);
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, 1)]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82, 0xAC }, 4)]
    [InlineData(new byte[] { 0x61, 0xF0, 0x9F, 0x98 }, 1)]
    [InlineData(new byte[] { 0x61, 0xC3 }, 1)]
    [InlineData(new byte[] { 0x61, 0xC3, 0xA9 }, 3)]
    [InlineData(new byte[] { }, 0)]
    public void Trim_DropsIncompleteLastCharacter(byte[] bytes, int expectedLength)
    {
        Assert.Equal(expectedLength, Utf8Boundaries.Trim(bytes).Length);
    }
}
