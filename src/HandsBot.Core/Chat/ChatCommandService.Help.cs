using System.Text;
using HandsBot.Core.Access;
using HandsBot.Core.Text;

namespace HandsBot.Core.Chat;

public sealed partial class ChatCommandService
{
    private ChatReply HelpCommand(ChatCommand command)
    {
        if (CheckArgs(command, 0, 0) is { } bad) return bad;
        var allowed = CommandCatalog.All
            .Where(s => s.Needs is not { } needs || _access.Authorize(command.User, command.Place, needs).Allowed)
            .ToList();

        var sb = new StringBuilder("**HandsBot commands**");
        foreach (var spec in allowed) sb.Append($"\n{Md.Code(spec.Info.Usage)} — {spec.Info.Description}");

        var role = _access.RoleOf(command.User);
        sb.Append($"\n\nYou are {Md.Code(command.User.Identity)} ({RoleText(role)}).");
        if (allowed.Count == 1)
        {
            var why = _access.Authorize(command.User, command.Place, CommandPermission.View).Reason;
            if (why is not null) sb.Append('\n').Append(why);
        }
        return Reply(sb.ToString(), isPrivate: true);
    }

    private static string RoleText(Role role) => role switch
    {
        Role.Admin => "admin",
        Role.Operator => "operator",
        Role.Viewer => "viewer",
        _ => "no role",
    };
}
