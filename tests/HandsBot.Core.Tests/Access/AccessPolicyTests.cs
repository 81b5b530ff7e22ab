using HandsBot.Core.Access;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Tests.Access;

public sealed class AccessPolicyTests
{
    internal static AccessPolicy Policy(
        string[]? admins = null, string[]? operators = null, string[]? viewers = null,
        string defaultChat = "-100500", string defaultChannel = "700")
    {
        var channels = new ChannelsOptions();
        channels.Routes["ops"] = new ChannelRoute { Telegram = "-100777:12", Discord = "888" };
        return new AccessPolicy(
            Options.Create(new AccessOptions
            {
                Admins = [.. admins ?? ["console:local", "telegram:1"]],
                Operators = [.. operators ?? ["telegram:2", "discord-role:900"]],
                Viewers = [.. viewers ?? ["telegram:3", "discord:30"]],
            }),
            Options.Create(channels),
            [
                new Engine.RecordingChannel("telegram") { DefaultTarget = DeliveryRouter.ParseTelegram(defaultChat) },
                new Engine.RecordingChannel("discord") { DefaultTarget = new ChannelTarget("discord", defaultChannel) },
            ]);
    }

    internal static AccessPolicy Empty() => Policy([], [], []);

    private static ChatUser User(string identity, params string[] roles)
    {
        var colon = identity.IndexOf(':', StringComparison.Ordinal);
        return new ChatUser(identity[..colon], identity[(colon + 1)..], "someone", roles);
    }

    private static ChatPlace Place(string where, bool isPrivate = false)
    {
        var colon = where.IndexOf(':', StringComparison.Ordinal);
        return new ChatPlace(where[..colon], where[(colon + 1)..], null, isPrivate);
    }

    [Theory]
    [InlineData("console:local", Role.Admin)]
    [InlineData("telegram:1", Role.Admin)]
    [InlineData("TELEGRAM:1", Role.Admin)]
    [InlineData("telegram:2", Role.Operator)]
    [InlineData("telegram:3", Role.Viewer)]
    [InlineData("discord:30", Role.Viewer)]
    [InlineData("telegram:30", Role.None)]
    [InlineData("discord:1", Role.None)]
    [InlineData("telegram:99", Role.None)]
    public void RoleOf_ReturnsConfiguredRole_ForIdentity(string identity, Role expected) =>
        Assert.Equal(expected, Policy().RoleOf(User(identity)));

    [Fact]
    public void RoleOf_ReturnsOperator_WhenADiscordRoleIsListed() =>
        Assert.Equal(Role.Operator, Policy().RoleOf(User("discord:555", "111", "900")));

    [Fact]
    public void RoleOf_ReturnsHighestRole_WhenUserIsInSeveralLists() =>
        Assert.Equal(Role.Operator, Policy().RoleOf(User("discord:30", "900")));

    [Fact]
    public void RoleOf_IgnoresRoleIds_OnTelegram() =>
        Assert.Equal(Role.None, Policy().RoleOf(User("telegram:555", "900")));

    [Theory]
    [InlineData("telegram:-100500", true)]  // default chat
    [InlineData("telegram:-100777", true)]  // route chat part of "chat:topic"
    [InlineData("telegram:-100778", false)]
    [InlineData("discord:700", true)]       // default channel
    [InlineData("discord:888", true)]       // route
    [InlineData("discord:-100500", false)]  // a Telegram chat id is not a Discord channel
    [InlineData("console:tty", true)]
    [InlineData("slack:888", false)]
    public void IsConfiguredPlace_MatchesRoutesAndDefaults(string where, bool expected) =>
        Assert.Equal(expected, Policy().IsConfiguredPlace(Place(where)));

    // who, where, private, permission, allowed
    [Theory]
    [InlineData("telegram:1", "telegram:-1", false, CommandPermission.Administer, true)]
    [InlineData("telegram:1", "telegram:-1", false, CommandPermission.Operate, true)]
    [InlineData("telegram:2", "telegram:-100500", false, CommandPermission.Operate, true)]
    [InlineData("telegram:2", "telegram:2", true, CommandPermission.Operate, true)]
    [InlineData("telegram:2", "telegram:-1", false, CommandPermission.Operate, false)]
    [InlineData("telegram:2", "telegram:-100500", false, CommandPermission.Administer, false)]
    [InlineData("telegram:3", "telegram:-100500", false, CommandPermission.Operate, false)]
    [InlineData("telegram:3", "telegram:-100500", false, CommandPermission.View, true)]
    [InlineData("telegram:3", "telegram:3", true, CommandPermission.View, true)]
    [InlineData("telegram:3", "telegram:-1", false, CommandPermission.View, false)]
    [InlineData("telegram:99", "telegram:-100500", false, CommandPermission.View, true)]
    [InlineData("telegram:99", "telegram:99", true, CommandPermission.View, false)]
    [InlineData("telegram:99", "telegram:-100500", false, CommandPermission.Operate, false)]
    [InlineData("discord:30", "discord:888", false, CommandPermission.View, true)]
    [InlineData("discord:31", "discord:889", false, CommandPermission.View, false)]
    public void Authorize_FollowsRolesAndPlaces(string who, string where, bool isPrivate, CommandPermission needed, bool allowed)
    {
        var decision = Policy().Authorize(User(who), Place(where, isPrivate), needed);
        Assert.Equal(allowed, decision.Allowed);
        Assert.Equal(allowed, decision.Reason is null);
    }

    [Fact]
    public void Authorize_ExplainsHowToConfigure_WhenNoOperatorsAreConfigured()
    {
        var decision = Empty().Authorize(User("telegram:42"), Place("telegram:-100500"), CommandPermission.Operate);
        Assert.False(decision.Allowed);
        Assert.Equal("Not allowed: no operators are configured. Add \"telegram:42\" to [access] operators in config/handsbot.toml.", decision.Reason);
    }

    [Theory]
    [InlineData("telegram:-100500", false, true)]
    [InlineData("telegram:42", true, false)]
    [InlineData("telegram:-1", false, false)]
    public void Authorize_AllowsViewingOnlyInConfiguredPlaces_WhenNothingIsConfigured(string where, bool isPrivate, bool allowed)
    {
        var policy = Empty();
        Assert.True(policy.NothingConfigured);
        Assert.Equal(allowed, policy.Authorize(User("telegram:42"), Place(where, isPrivate), CommandPermission.View).Allowed);
    }

    [Fact]
    public void Authorize_NamesTheIdentity_WhenOperatorsExistButCallerIsNotOne()
    {
        var reason = Policy().Authorize(User("telegram:3"), Place("telegram:-100500"), CommandPermission.Operate).Reason;
        Assert.Contains("\"telegram:3\"", reason, StringComparison.Ordinal);
        Assert.Contains("operator", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingConfigured_IsFalse_WhenOnlyViewersExist() =>
        Assert.False(Policy([], [], ["telegram:3"]).NothingConfigured);

    private static ApprovalGate Gate(params string[] approvers) =>
        new() { Key = "send", Action = "send", Approvers = approvers };

    [Theory]
    [InlineData("telegram:1", true)]
    [InlineData("telegram:2", true)]
    [InlineData("telegram:3", false)]
    [InlineData("telegram:99", false)]
    public void CanDecide_AllowsOperatorsAndAdmins_WhenGateNamesNoApprovers(string who, bool expected)
    {
        Assert.Equal(expected, Policy().CanDecide(User(who), Gate()));
        Assert.Equal(expected, Policy().CanDecide(User(who), null));
    }

    [Theory]
    [InlineData("telegram:3", new string[0], true)]
    [InlineData("telegram:1", new string[0], false)] // an admin not named by the gate
    [InlineData("telegram:2", new string[0], false)]
    [InlineData("discord:77", new[] { "444" }, true)]
    [InlineData("discord:78", new[] { "445" }, false)]
    public void CanDecide_AllowsOnlyNamedApprovers_WhenGateNamesSome(string who, string[] roles, bool expected) =>
        Assert.Equal(expected, Policy().CanDecide(User(who, roles), Gate("telegram:3", "discord-role:444")));

    [Fact]
    public void ConfigurationProblems_ListsEntriesThatAreNotIdentities()
    {
        var policy = Policy(["42", "telegram:1"], ["telgram:2"], []);
        Assert.Equal(2, policy.ConfigurationProblems.Count);
        Assert.Contains(policy.ConfigurationProblems, p => p.Contains("\"42\"", StringComparison.Ordinal));
        Assert.Contains(policy.ConfigurationProblems, p => p.Contains("\"telgram:2\"", StringComparison.Ordinal));
    }
}
