using System.Text.Json.Nodes;
using HandsBot.Core.Delivery;
using HandsBot.Discord.Rest;
using HandsBot.Discord.Tests.Fakes;

namespace HandsBot.Discord.Tests;

public sealed class DiscordChannelTests
{
    private static readonly ChannelTarget Briefings = new("discord", "123456789012345678");

    [Fact]
    public async Task SendAsync_DeliversBriefingWithinDiscordLimits()
    {
        await using var h = await DiscordHarness.StartAsync();
        var content = new OutgoingContent
        {
            Title = "briefing · success · 07:00",
            Text = "Good morning @everyone\n\n" + new string('x', 4500),
            Buttons = [[FakeChatCommandService.Approve("a1"), FakeChatCommandService.Reject("a1")]],
        };

        var parts = h.Channel.Render(content);
        var results = new List<SendResult>();
        for (var i = 0; i < parts.Count; i++) results.Add(await h.Channel.SendAsync(Briefings, parts[i], $"exec-1/part-{i}", CancellationToken.None));

        Assert.True(parts.Count >= 3);
        Assert.All(results, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Equal(parts.Count, results.Select(r => r.MessageId).Distinct().Count());
        var posts = h.Fake.Requests.Where(r => r.Method == "POST" && r.Path == $"channels/{Briefings.ChatId}/messages");
        Assert.Equal(parts.Count, posts.Count);
        Assert.All(posts, p =>
        {
            Assert.Equal("Bot " + FakeDiscordServer.Token, p.Headers["Authorization"]);
            Assert.StartsWith("DiscordBot (", p.Headers["User-Agent"], StringComparison.Ordinal);
            Assert.True(p.Json!["enforce_nonce"]!.GetValue<bool>());
        });
        // Buttons only on the last part.
        Assert.Null(posts[0].Json!["components"]);
        Assert.Equal(2, posts[^1].Json!["components"]![0]!["components"]!.AsArray().Count);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task SendAsync_RetryWithSameKey_PostsOnceAndReturnsSameMessage()
    {
        await using var h = await DiscordHarness.StartAsync();
        var part = new OutboundPart { Text = "hello" };
        var key = "outbox-0d8c6a3e-7b9f-4f7e-9d0e-1a2b3c4d5e6f-part-0";

        var first = await h.Channel.SendAsync(Briefings, part, key, CancellationToken.None);
        var retry = await h.Channel.SendAsync(Briefings, part, key, CancellationToken.None);

        Assert.Equal(first.MessageId, retry.MessageId);
        var nonces = h.Fake.Requests.Items.Select(r => r.Json!["nonce"]!.GetValue<string>()).ToList();
        Assert.Equal(2, nonces.Count);
        Assert.Equal(nonces[0], nonces[1]);
        Assert.True(nonces[0].Length <= 25);
    }

    [Fact]
    public async Task SendAsync_BurstOf50_DeliversAllWithoutA429()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.BucketLimit = 5;
        h.Fake.BucketWindow = TimeSpan.FromMilliseconds(40);

        var sends = Enumerable.Range(0, 50).Select(i => h.Channel.SendAsync(Briefings, new OutboundPart { Text = $"message {i}" }, $"burst-{i}", CancellationToken.None));
        var results = await Task.WhenAll(sends);

        Assert.All(results, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Equal(50, h.Fake.Requests.Items.Count(r => r.Status == 200));
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task SendAsync_Bucket429_WaitsRetryAfterThenDelivers()
    {
        await using var h = await DiscordHarness.StartAsync();
        var limited = 0;
        h.Fake.Script = r => r.Method == "POST" && Interlocked.Increment(ref limited) == 1 ? h.Fake.RateLimited(r, 0.05, global: false) : null;

        var result = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "hi" }, "k1", CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, result.Status);
        Assert.Equal([429, 200], h.Fake.Requests.Items.Select(r => r.Status));
        Assert.Empty(h.Fake.Violations.Items);
        Assert.Equal(1, h.Rest.InvalidRequestCount);
    }

    [Fact]
    public async Task SendAsync_Global429_BlocksOtherRoutesUntilRetryAfter()
    {
        // MaxRetries 1: the 429 comes back to the caller, so the test knows the client has seen it.
        await using var h = await DiscordHarness.StartAsync(rateLimits: new RateLimitSettings { MaxRetries = 1 });
        var limited = 0;
        h.Fake.Script = r => r.Method == "POST" && Interlocked.Increment(ref limited) == 1 ? h.Fake.RateLimited(r, 0.2, global: true) : null;

        var first = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "a" }, "k1", CancellationToken.None);
        var other = await h.Channel.SendAsync(new ChannelTarget("discord", "999"), new OutboundPart { Text = "b" }, "k2", CancellationToken.None);

        Assert.Equal(SendStatus.Transient, first.Status);
        Assert.Equal(TimeSpan.FromSeconds(0.2), first.RetryAfter);
        Assert.Equal(SendStatus.Delivered, other.Status);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task SendAsync_Long429_ReturnsTransientWithRetryAfterInsteadOfWaiting()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.Script = r => h.Fake.RateLimited(r, 30, global: false);

        var result = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "hi" }, "k1", CancellationToken.None);

        Assert.Equal(SendStatus.Transient, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Single(h.Fake.Requests.Items);
    }

    [Fact]
    public async Task SendAsync_Unauthorized_IsPermanentAndStopsFurtherBotRequests()
    {
        await using var h = await DiscordHarness.StartAsync(o => o.Token = "wrong-token");

        var first = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "hi" }, "k1", CancellationToken.None);
        var second = await h.Channel.SendAsync(new ChannelTarget("discord", "999"), new OutboundPart { Text = "hi" }, "k2", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, first.Status);
        Assert.Equal("Discord rejected the bot token", first.Error);
        Assert.Equal(SendStatus.Permanent, second.Status);
        Assert.Contains("token", second.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-token", second.Error, StringComparison.Ordinal);
        Assert.Single(h.Fake.Requests.Items);
    }

    [Theory]
    [InlineData(403, 50001, "Missing Access", "access")]
    [InlineData(404, 10003, "Unknown Channel", "Unknown Channel")]
    [InlineData(400, 50035, "Invalid Form Body", "Invalid Form Body")]
    public async Task SendAsync_ClientErrors_ArePermanentWithReason(int status, int code, string message, string expected)
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.Script = _ => FakeDiscordServer.Error(status, code, message);

        var result = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "hi" }, "k1", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_AfterForbidden_StopsUsingThatChannelOnly()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.Script = r => r.Path.StartsWith("channels/111/", StringComparison.Ordinal) ? FakeDiscordServer.Error(403, 50001, "Missing Access") : null;

        await h.Channel.SendAsync(new ChannelTarget("discord", "111"), new OutboundPart { Text = "a" }, "k1", CancellationToken.None);
        var again = await h.Channel.SendAsync(new ChannelTarget("discord", "111"), new OutboundPart { Text = "b" }, "k2", CancellationToken.None);
        var elsewhere = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "c" }, "k3", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, again.Status);
        Assert.Contains("Missing Access", again.Error, StringComparison.Ordinal);
        Assert.Equal(SendStatus.Delivered, elsewhere.Status);
        Assert.Equal(2, h.Fake.Requests.Items.Count);
    }

    [Fact]
    public async Task SendAsync_ServerErrorOrNetworkFailure_IsTransient()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.Script = _ => FakeDiscordServer.Error(502, 0, "Bad Gateway");
        var serverError = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "hi" }, "k1", CancellationToken.None);

        await using var down = await DiscordHarness.StartAsync(o => o.ApiUrl = "http://127.0.0.1:1/api/v10");
        var network = await down.Channel.SendAsync(Briefings, new OutboundPart { Text = "hi" }, "k1", CancellationToken.None);

        Assert.Equal(SendStatus.Transient, serverError.Status);
        Assert.Equal(SendStatus.Transient, network.Status);
        Assert.Contains("network", network.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_NearInvalidRequestBudget_RefusesWithClearError()
    {
        await using var h = await DiscordHarness.StartAsync(rateLimits: new RateLimitSettings { InvalidRequestBudget = 3 });
        h.Fake.Script = _ => FakeDiscordServer.Error(403, 50013, "Missing Permissions");
        for (var i = 0; i < 3; i++)
        {
            await h.Channel.SendAsync(new ChannelTarget("discord", $"{i + 1}"), new OutboundPart { Text = "x" }, $"k{i}", CancellationToken.None);
        }

        var refused = await h.Channel.SendAsync(Briefings, new OutboundPart { Text = "x" }, "k9", CancellationToken.None);

        Assert.Equal(SendStatus.Transient, refused.Status);
        Assert.Contains("Too many invalid Discord requests", refused.Error, StringComparison.Ordinal);
        Assert.NotNull(refused.RetryAfter);
        Assert.Equal(3, h.Fake.Requests.Items.Count);
    }

    [Fact]
    public async Task SendAsync_FilePart_UploadsMultipartWithPayloadJson()
    {
        await using var h = await DiscordHarness.StartAsync();
        var part = new OutboundPart { Kind = PartKind.File, Text = "Full report attached", FileName = "report.md", FileContent = "# Report\nall good" };

        var result = await h.Channel.SendAsync(Briefings, part, "file-1", CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, result.Status);
        var request = Assert.Single(h.Fake.Requests.Items);
        Assert.StartsWith("multipart/form-data", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("Full report attached", request.Json!["content"]!.GetValue<string>());
        Assert.Equal("report.md", request.Json["attachments"]![0]!["filename"]!.GetValue<string>());
        Assert.Equal(["files[0]:report.md:# Report\nall good"], request.Files);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task EditAsync_WithoutButtons_RemovesComponents()
    {
        await using var h = await DiscordHarness.StartAsync();

        var result = await h.Channel.EditAsync(Briefings, "4242", new OutboundPart { Text = "Approved by Ann" }, CancellationToken.None);

        Assert.Equal(SendResult.Delivered("4242"), result);
        var request = Assert.Single(h.Fake.Requests.Items);
        Assert.Equal("PATCH", request.Method);
        Assert.Equal($"channels/{Briefings.ChatId}/messages/4242", request.Path);
        Assert.Empty(request.Json!["components"]!.AsArray());
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task SendAsync_ThreadTarget_PostsToTheThreadChannel()
    {
        await using var h = await DiscordHarness.StartAsync();

        await h.Channel.SendAsync(new ChannelTarget("discord", "100", "200"), new OutboundPart { Text = "in thread" }, "t1", CancellationToken.None);

        Assert.Equal("channels/200/messages", Assert.Single(h.Fake.Requests.Items).Path);
    }

    [Fact]
    public async Task SendAsync_OversizedText_IsCutTo2000()
    {
        await using var h = await DiscordHarness.StartAsync();

        await h.Channel.SendAsync(Briefings, new OutboundPart { Text = new string('y', 2500) }, "big", CancellationToken.None);

        Assert.Equal(2000, Assert.Single(h.Fake.Requests.Items).Json!["content"]!.GetValue<string>().Length);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public void Render_SplitsLongOutputIntoPartsWithinLimit()
    {
        var channel = new Delivery.DiscordChannel(null!);

        var parts = channel.Render(new OutgoingContent { Text = new string('z', 5000) });

        Assert.All(parts, p => Assert.True(p.Text.Length <= DiscordLimits.ContentLength));
        Assert.Equal("discord", channel.Platform);
    }
}
