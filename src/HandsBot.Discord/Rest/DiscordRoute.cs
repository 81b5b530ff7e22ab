namespace HandsBot.Discord.Rest;

/// <summary>
/// A request path reduced to what Discord rate-limits by: the route template plus the major
/// parameter (channel, guild, or webhook id and token). Interaction callbacks are marked so they
/// bypass the global bot limit.
/// </summary>
public sealed record DiscordRoute(string Template, string Major, bool IsInteraction)
{
    /// <summary>The queue a request waits in: one per method, route and major parameter.</summary>
    public string QueueKey(HttpMethod method) => $"{method.Method} {Template} {Major}";

    public static DiscordRoute Parse(string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var segments = (query >= 0 ? path[..query] : path).Trim('/').Split('/');
        var template = new string[segments.Length];
        var major = new List<string>();
        var isInteraction = segments.Length > 0 && segments[0] == "interactions";
        for (var i = 0; i < segments.Length; i++)
        {
            var previous = i > 0 ? segments[i - 1] : "";
            if (i == 1 && previous is "channels" or "guilds" or "webhooks")
            {
                major.Add(segments[i]);
                template[i] = "{major}";
            }
            else if (i == 2 && segments[0] == "webhooks")
            {
                // The webhook token is part of the major parameter (interaction follow-ups).
                major.Add(segments[i]);
                template[i] = "{token}";
            }
            else if (isInteraction && i is 1 or 2)
            {
                // Each interaction is its own queue: callbacks never wait behind another interaction's.
                if (i == 1) major.Add(segments[i]);
                template[i] = i == 1 ? ":id" : ":token";
            }
            else
            {
                template[i] = IsSnowflake(segments[i]) ? ":id" : segments[i];
            }
        }
        return new DiscordRoute(string.Join('/', template), string.Join('/', major), isInteraction);
    }

    private static bool IsSnowflake(string segment) => segment.Length > 0 && segment.All(char.IsAsciiDigit);
}
