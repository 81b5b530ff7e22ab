using HandsBot.Core.Manifest.Disk;
using HandsBot.Core.Model;
using Tomlyn.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Reads [approval_gates]: each key is a gate, an inline or regular table; kept in file order.</summary>
internal static class GateReader
{
    public static readonly string[] Keys = ["action", "description", "auto_approve_after", "expires_after", "command", "approvers", "timeout"];

    public static IReadOnlyList<ApprovalGate> Read(TableReader gates, HandEnvironment? environment)
    {
        var result = new List<ApprovalGate>();
        foreach (var key in gates.Table.Keys)
        {
            var value = gates.Raw(key);
            if (value is not TomlTable)
            {
                gates.Error(key, $"gate must be a table like {{ action = \"{key}\", description = \"...\" }}, got {TableReader.Describe(value)}");
                continue;
            }
            if (ReadGate(gates.Child(key)!, key, environment) is { } gate)
            {
                result.Add(gate);
            }
        }
        return result;
    }

    private static ApprovalGate? ReadGate(TableReader gate, string key, HandEnvironment? environment)
    {
        gate.WarnUnknownKeys(Keys);
        var action = gate.String("action");
        if (action is not null && string.IsNullOrWhiteSpace(action))
        {
            gate.Error("action", "must not be empty (leave it out to use the gate's key)");
        }
        var autoApprove = gate.Seconds("auto_approve_after", allowZero: true);
        var expires = gate.Seconds("expires_after", allowZero: false);
        if (autoApprove is { } a && expires is { } e && a >= e)
        {
            gate.Warning("auto_approve_after", $"is not before expires_after ({a.TotalSeconds:0} >= {e.TotalSeconds:0} seconds), so the request expires before it is auto-approved");
        }
        var timeout = gate.Seconds("timeout", allowZero: false) ?? TimeSpan.FromMinutes(10);
        var command = CommandReader.Read(gate, "command", timeout, environment);
        var approvers = gate.StringList("approvers", allowSingle: false) ?? [];
        foreach (var approver in approvers)
        {
            if (!IsIdentity(approver))
            {
                gate.Error("approvers", $"'{approver}' is not an identity like \"telegram:42\" or \"discord:123456789\"");
            }
        }
        return new ApprovalGate
        {
            Key = key,
            Action = string.IsNullOrWhiteSpace(action) ? key : action.Trim(),
            Description = gate.String("description") ?? "",
            AutoApproveAfter = autoApprove,
            ExpiresAfter = expires,
            Command = command,
            Approvers = approvers,
        };
    }

    private static bool IsIdentity(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < text.Length - 1 && !text.Any(char.IsWhiteSpace);
    }
}
