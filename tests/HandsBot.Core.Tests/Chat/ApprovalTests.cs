using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Chat;

public sealed class ApprovalTests
{
    private static ChatHarness WithApprovals(out ApprovalRecord first)
    {
        var h = new ChatHarness().WithStandardHands();
        first = h.Engine.AddApproval("k3J9xQ");
        h.Engine.AddApproval("k3Pq77", gate: "publish");
        h.Engine.AddApproval("Zt81mn");
        return h;
    }

    [Fact]
    public async Task Approvals_ListsPending_WithApproveAndRejectButtons()
    {
        var h = WithApprovals(out _);
        var reply = await h.Command(ChatHarness.Viewer, "/approvals");

        Assert.StartsWith("**Waiting for approval** (3)\n• `k3J9xQ` **oracle** · send — Send the weekly report · asked 5 min ago", reply.Markdown, StringComparison.Ordinal);
        Assert.Equal(3, reply.Buttons.Count);
        Assert.Equal(
            [new ChatButton("Approve k3J9xQ", "hb1:a:k3J9xQ", ButtonStyle.Success), new ChatButton("Reject k3J9xQ", "hb1:r:k3J9xQ", ButtonStyle.Danger)],
            reply.Buttons[0]);
    }

    [Fact]
    public async Task Approvals_LimitsButtonsToFiveRows_AndSaysSo()
    {
        var h = new ChatHarness().WithStandardHands();
        for (var i = 0; i < 7; i++) h.Engine.AddApproval($"ref{i}");
        var reply = await h.Command(ChatHarness.Viewer, "/approvals");
        Assert.Equal(5, reply.Buttons.Count);
        Assert.Contains("/approve <reference>", reply.Markdown, StringComparison.Ordinal);
        Assert.Equal(7, reply.Markdown.Split('\n').Count(l => l.StartsWith("• ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Approvals_SaysNoneWaiting()
    {
        var reply = await new ChatHarness().Command(ChatHarness.Viewer, "/approvals");
        Assert.Equal("No approvals are waiting.", reply.Markdown);
    }

    [Theory]
    [InlineData("/approve k3J9", ApprovalStatus.Approved, "✅ Approved `k3J9xQ`: **oracle** send.")]
    [InlineData("/reject k3J9xQ", ApprovalStatus.Rejected, "❌ Rejected `k3J9xQ`: **oracle** send.")]
    public async Task ApproveReject_DecideByUniquePrefix(string text, ApprovalStatus expected, string answer)
    {
        var h = WithApprovals(out var first);
        var reply = await h.Command(ChatHarness.Operator, text);
        Assert.Equal(answer, reply.Markdown);
        var decided = h.Engine.Approvals.Single(a => a.Id == first.Id);
        Assert.Equal(expected, decided.Status);
        Assert.Equal("telegram:2", decided.ResolvedBy);
    }

    [Fact]
    public async Task Approve_ListsCandidates_WhenPrefixIsAmbiguous()
    {
        var h = WithApprovals(out _);
        var reply = await h.Command(ChatHarness.Operator, "/approve k3");
        Assert.True(reply.IsRefusal);
        Assert.Equal("`k3` matches several approvals: `k3J9xQ` (oracle · send), `k3Pq77` (oracle · publish). Type more of the reference.", reply.Markdown);
        Assert.All(h.Engine.Approvals, a => Assert.True(a.IsPending));
    }

    [Fact]
    public async Task Approve_SaysNotFound_WhenNothingMatches()
    {
        var reply = await WithApprovals(out _).Command(ChatHarness.Operator, "/approve nope");
        Assert.True(reply.IsRefusal);
        Assert.Equal("No approval matches `nope`. /approvals lists the waiting ones.", reply.Markdown);
    }

    [Fact]
    public async Task Approve_SaysWhoDecided_WhenAlreadyDecided()
    {
        var h = WithApprovals(out _);
        await h.Command(ChatHarness.Admin, "/reject k3J9xQ");
        var reply = await h.Command(ChatHarness.Operator, "/approve k3J9xQ");
        Assert.Equal("`k3J9xQ` was already rejected by telegram:1.", reply.Markdown);
        Assert.Equal(ApprovalStatus.Rejected, h.Engine.Approvals[0].Status);
    }

    [Theory]
    [InlineData("/approve", "Missing argument. Usage: `/approve <reference>`")]
    [InlineData("/reject a b", "Too many arguments (2). Usage: `/reject <reference>`")]
    public async Task ApproveReject_ExplainBadArguments(string text, string expected) =>
        Assert.Equal(expected, (await WithApprovals(out _).Command(ChatHarness.Operator, text)).Markdown);

    [Fact]
    public async Task ApproveButton_DecidesAndShowsWhoDecided_WithoutButtons()
    {
        var h = WithApprovals(out var first);
        var tap = await h.Tap(ChatHarness.Operator, "hb1:a:k3J9xQ");

        Assert.Equal("Approved", tap.Toast);
        Assert.False(tap.IsRefusal);
        Assert.Equal(ApprovalStatus.Approved, h.Engine.Approvals.Single(a => a.Id == first.Id).Status);
        Assert.NotNull(tap.UpdatedMessage);
        Assert.Empty(tap.UpdatedMessage.Buttons);
        Assert.Equal("**Approval** `k3J9xQ` · **oracle** · send\nSend the weekly report\n✅ **approved** by Otto · Mon 23 Nov 12:00 UTC", tap.UpdatedMessage.Markdown);
    }

    [Fact]
    public async Task RejectButton_SecondTapIsTold_WhoWasFirst()
    {
        var h = WithApprovals(out _);
        var first = await h.Tap(ChatHarness.Admin, "hb1:r:k3J9xQ");
        var second = await h.Tap(ChatHarness.Operator, "hb1:a:k3J9xQ");

        Assert.Equal("Rejected", first.Toast);
        Assert.Equal("Already rejected by telegram:1", second.Toast);
        Assert.Contains("❌ **rejected** by telegram:1", second.UpdatedMessage!.Markdown, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.Rejected, h.Engine.Approvals[0].Status);
    }

    [Fact]
    public async Task ApproveButtons_FirstDecisionWins_WhenTappedConcurrently()
    {
        var h = WithApprovals(out _);
        var taps = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => h.Tap(i % 2 == 0 ? ChatHarness.Admin : ChatHarness.Operator, i % 3 == 0 ? "hb1:r:k3J9xQ" : "hb1:a:k3J9xQ"))));
        Assert.Single(taps, t => t.Toast is "Approved" or "Rejected");
        Assert.Equal(7, taps.Count(t => t.Toast.StartsWith("Already ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("viewer")]
    [InlineData("stranger")]
    public async Task ApproveButton_ChangesNothing_WhenNotAllowed(string who)
    {
        var h = WithApprovals(out _);
        var tap = await h.Tap(ChatHarness.UserFor(who), "hb1:a:k3J9xQ");

        Assert.Equal("Not allowed", tap.Toast);
        Assert.True(tap.IsRefusal);
        Assert.Null(tap.UpdatedMessage);
        Assert.True(tap.PrivateReply!.Private);
        Assert.True(h.Engine.Approvals[0].IsPending);
        var entry = Assert.Single(h.Audit.Entries);
        Assert.False(entry.Allowed);
        Assert.Equal("button hb1:a:k3J9xQ", entry.Action);
    }

    [Theory]
    [InlineData("viewer", true)]      // named approver, though only a viewer
    [InlineData("operator", false)]   // operator, but not named
    [InlineData("admin", false)]      // admin, but not named
    [InlineData("stranger", false)]
    public async Task ApproveButton_AllowsOnlyGateApprovers_WhenGateNamesThem(string who, bool allowed)
    {
        var h = new ChatHarness();
        h.Engine.AddHand("payroll", gates: [new ApprovalGate { Key = "pay", Action = "pay", Approvers = ["telegram:3"] }]);
        h.Engine.AddApproval("Pay001", hand: "payroll", gate: "pay");

        var tap = await h.Tap(ChatHarness.UserFor(who), "hb1:a:Pay001");

        Assert.Equal(allowed, !tap.IsRefusal);
        Assert.Equal(allowed, !h.Engine.Approvals[0].IsPending);
        if (!allowed) Assert.Contains("approvers named by the \"pay\" gate", tap.PrivateReply!.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveButton_SaysNotFound_ForUnknownReference()
    {
        var tap = await WithApprovals(out _).Tap(ChatHarness.Operator, "hb1:a:gone99");
        Assert.Equal("Approval not found", tap.Toast);
        Assert.Null(tap.UpdatedMessage);
    }

    [Fact]
    public async Task ApproveButton_DoesNotTreatReferenceAsPrefix()
    {
        var h = WithApprovals(out _);
        var tap = await h.Tap(ChatHarness.Operator, "hb1:a:Zt81");
        Assert.Equal("Approval not found", tap.Toast);
        Assert.All(h.Engine.Approvals, a => Assert.True(a.IsPending));
    }
}
