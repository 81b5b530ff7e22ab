using Microsoft.Extensions.Configuration;
using Tomlyn;
using Tomlyn.Model;

namespace HandsBot.Configuration;

/// <summary>Reads a TOML file into configuration keys ("telegram:token", "access:admins:0", …).</summary>
internal sealed class TomlConfigurationProvider(TomlConfigurationSource source) : FileConfigurationProvider(source)
{
    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        Data = Parse(text, Source.Path ?? "config");
    }

    /// <summary>Flattens TOML text into configuration key/value pairs; throws <see cref="FormatException"/> with file(line,col) on bad TOML.</summary>
    public static Dictionary<string, string?> Parse(string text, string sourceName)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(text)!;
        }
        catch (TomlException ex)
        {
            var where = ex.Line is { } line ? $"({line},{ex.Column ?? 0})" : "";
            throw new FormatException($"{sourceName}{where}: {FirstLine(ex.Message)}", ex);
        }
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Flatten(table, prefix: null, data);
        return data;
    }

    private static void Flatten(object? value, string? prefix, Dictionary<string, string?> data)
    {
        switch (value)
        {
            case TomlTable table:
                foreach (var (key, child) in table)
                {
                    Flatten(child, prefix is null ? key : ConfigurationPath.Combine(prefix, key), data);
                }
                break;
            case TomlTableArray tables:
                for (var i = 0; i < tables.Count; i++)
                {
                    Flatten(tables[i], ConfigurationPath.Combine(prefix!, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                }
                break;
            case TomlArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Flatten(array[i], ConfigurationPath.Combine(prefix!, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), data);
                }
                break;
            case bool b:
                data[prefix!] = b ? "true" : "false";
                break;
            case IFormattable formattable:
                data[prefix!] = formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                data[prefix!] = value?.ToString();
                break;
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? message : message[..newline].TrimEnd();
    }
}

internal sealed class TomlConfigurationSource : FileConfigurationSource
{
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new TomlConfigurationProvider(this);
    }
}

internal static class TomlConfigurationExtensions
{
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, string path, bool optional)
    {
        var full = Path.GetFullPath(path);
        return builder.Add<TomlConfigurationSource>(s =>
        {
            s.FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(full)!);
            s.Path = Path.GetFileName(full);
            s.Optional = optional;
            s.ReloadOnChange = false;
        });
    }
}
