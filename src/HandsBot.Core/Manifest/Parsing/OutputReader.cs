using HandsBot.Core.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Reads [output]: dashboard, channel (one or a list), format, file_drop.</summary>
internal static class OutputReader
{
    public static readonly string[] Keys = ["dashboard", "channel", "channels", "format", "file_drop"];
    private static readonly string[] Formats = ["markdown", "json", "html", "text"];

    public static OutputSpec Read(TableReader output, HandLoadContext context)
    {
        output.WarnUnknownKeys(Keys);
        var spec = new OutputSpec();
        if (output.Has("channel") && output.Has("channels"))
        {
            output.Error("channels", "give either 'channel' or 'channels', not both");
        }
        var channelKey = output.Has("channels") ? "channels" : "channel";
        var channels = output.StringList(channelKey, allowSingle: true) ?? [];
        var routes = new List<string>();
        foreach (var channel in channels)
        {
            var name = channel.Trim();
            if (!context.IsKnownChannel(name))
            {
                var known = HandLoadContext.BuiltInChannels.Concat(context.ChannelNames).Order(StringComparer.Ordinal).ToList();
                output.Error(channelKey, $"'{channel}' is not a configured channel; expected a [channels] name or {TableReader.JoinOr(known)}");
                continue;
            }
            if (!routes.Contains(name, StringComparer.OrdinalIgnoreCase)) routes.Add(name);
        }
        var format = output.Choice("format", Formats);
        var fileDrop = output.String("file_drop");
        if (fileDrop is not null && string.IsNullOrWhiteSpace(fileDrop))
        {
            output.Error("file_drop", "must not be empty (leave it out to write no files)");
            fileDrop = null;
        }
        return spec with
        {
            Dashboard = output.Bool("dashboard") ?? spec.Dashboard,
            Channels = routes,
            Format = format switch
            {
                "json" => OutputFormat.Json,
                "html" => OutputFormat.Html,
                "text" => OutputFormat.Text,
                _ => OutputFormat.Markdown,
            },
            FileDrop = fileDrop,
        };
    }
}
