using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Buttons;

namespace HandsBot.ConsoleChannel;

/// <summary>The console has no buttons: each button is shown as the command that does the same.</summary>
internal static class ConsoleButtons
{
    public static string CommandFor(ChatButton button)
    {
        var parsed = ButtonCodec.Parse(button.Id);
        if (!parsed.IsOk) return button.Id;
        return parsed.Action switch
        {
            ButtonAction.Approve => $"/approve {parsed.Argument}",
            ButtonAction.Reject => $"/reject {parsed.Argument}",
            ButtonAction.Run => $"/run {parsed.Argument}",
            ButtonAction.Pause => $"/pause {parsed.Argument}",
            ButtonAction.Resume => $"/resume {parsed.Argument}",
            ButtonAction.Output => $"/output {parsed.Argument}",
            ButtonAction.Page => $"/hands {parsed.Argument}",
            _ => button.Id,
        };
    }
}
