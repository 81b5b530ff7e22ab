namespace HandsBot.Core.Tests.Manifest;

/// <summary>Hands written in the original HAND.toml format (before [run], [agent] and schedule tables existed).</summary>
internal static class OriginalFormatSamples
{
    public const string Oracle = """
        # Morning and evening market briefing.
        [hand]
        name = "oracle"
        description = "Bitcoin and on-chain intelligence briefing"
        schedule = "0 7,19 * * *"
        enabled = true
        version = "1.0.0"
        author = "Timmy"

        [tools]
        required = ["sh"]
        optional = ["handsbot_sample_news_fetch"]

        [approval_gates]
        post_update = { action = "broadcast", description = "Post the briefing to the channel", auto_approve_after = 300 }

        [output]
        dashboard = true
        channel = "telegram"
        format = "markdown"
        file_drop = "data/oracle_briefings/"

        [parameters]
        lookback_hours = 12
        include_mempool = true
        """;

    public const string Sentinel = """
        [hand]
        name = "sentinel"
        description = "Watches service health and asks before restarting anything"
        schedule = "*/15 * * * *"

        [tools]
        required = ["sh"]

        [approval_gates]
        restart_service = { action = "restart_service", description = "Restart a failing service" }
        page_oncall = { action = "page_oncall", description = "Page the on-call engineer", auto_approve_after = 900 }

        [output]
        channel = "discord"
        format = "text"
        """;

    public const string Scribe = """
        [hand]
        name = "scribe"
        description = "Weekly digest of merged work"
        schedule = "0 9 * * MON"
        author = "ops"

        [approval_gates]
        publish = { action = "publish", description = "Publish the digest" }

        [output]
        dashboard = false
        channel = "telegram"
        format = "html"

        [parameters]
        repositories = ["handsbot", "infra"]
        max_items = 25
        """;

    /// <summary>The original format's manual trigger: a hand that runs only when asked.</summary>
    public const string Herald = """
        [hand]
        name = "herald"
        description = "Announces a release when asked"
        trigger = "manual"
        enabled = true

        [approval_gates]
        announce = { action = "broadcast", description = "Announce the release" }

        [output]
        channel = "discord"
        format = "markdown"
        """;
}
