using System.Collections.Frozen;
using System.Text;

namespace HandsBot.Storage.Sqlite.Mapping;

/// <summary>
/// Converts enum members to and from the snake_case text stored in the database
/// (<c>ApprovalPending</c> ⇄ <c>"approval_pending"</c>), so stored values survive member reordering.
/// </summary>
internal static class SnakeCaseEnum<T>
    where T : struct, Enum
{
    private static readonly FrozenDictionary<T, string> ToTextMap =
        Enum.GetValues<T>().ToFrozenDictionary(v => v, v => ToSnakeCase(v.ToString()));

    private static readonly FrozenDictionary<string, T> FromTextMap =
        ToTextMap.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    public static string ToText(T value) =>
        ToTextMap.TryGetValue(value, out var text)
            ? text
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a defined {typeof(T).Name} value.");

    public static T FromText(string text) =>
        FromTextMap.TryGetValue(text, out var value)
            ? value
            : throw new InvalidDataException($"The database holds '{text}', which is not a known {typeof(T).Name} value.");

    private static string ToSnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
