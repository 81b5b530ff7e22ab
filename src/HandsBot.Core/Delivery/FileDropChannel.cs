using HandsBot.Core.Model;

namespace HandsBot.Core.Delivery;

/// <summary>
/// [output] file_drop as a channel: the output is written to the folder through the outbox like any
/// delivery, so a held broadcast reaches it only when released, a full disk is retried, and a crash
/// neither loses nor doubles the file (same name, written to a temporary file and renamed).
/// </summary>
public sealed class FileDropChannel : IChannel
{
    public const string PlatformName = "file";

    public string Platform => PlatformName;

    public ChannelTarget? DefaultTarget => null;

    /// <summary>The raw output, whole: a file drop keeps what the hand wrote.</summary>
    public IReadOnlyList<OutboundPart> Render(OutgoingContent content) =>
        [new OutboundPart { Kind = PartKind.File, Text = "", FileName = content.FileName ?? "output.txt", FileContent = content.Text }];

    public async Task<SendResult> SendAsync(ChannelTarget target, OutboundPart part, string idempotencyKey, CancellationToken ct)
    {
        var path = PathFor(target.ChatId, part.FileName ?? "output.txt");
        var temporary = path + ".tmp";
        try
        {
            Directory.CreateDirectory(target.ChatId);
            await File.WriteAllTextAsync(temporary, part.FileContent ?? part.Text, ct).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            return SendResult.Delivered(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            return SendResult.Permanent($"cannot write to {target.ChatId}: {ex.Message} Make the folder writable by the user running HandsBot.");
        }
        catch (IOException ex)
        {
            TryDelete(temporary);
            return SendResult.Transient($"writing {path} failed: {ex.Message}");
        }
    }

    public Task<SendResult> EditAsync(ChannelTarget target, string messageId, OutboundPart part, CancellationToken ct) =>
        Task.FromResult(SendResult.Permanent("a dropped file is not edited"));

    public static string PathFor(string folder, string fileName) => Path.Combine(folder, Path.GetFileName(fileName));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
