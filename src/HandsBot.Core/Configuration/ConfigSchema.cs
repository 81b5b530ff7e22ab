using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace HandsBot.Core.Configuration;

/// <summary>What kind of value a setting takes, as a person would say it in an error message.</summary>
public enum SettingKind { String, WholeNumber, Boolean, ListOfStrings }

/// <summary>One known key of a section and the kind of value it takes.</summary>
public sealed record SettingSchema(string Key, SettingKind Kind)
{
    /// <summary>"a whole number", "true or false", "a list of strings", "a string".</summary>
    public string KindInWords => Kind switch
    {
        SettingKind.WholeNumber => "a whole number",
        SettingKind.Boolean => "true or false",
        SettingKind.ListOfStrings => "a list of strings",
        _ => "a string",
    };
}

public enum SectionShape
{
    /// <summary>A table with known keys: <c>[telegram]</c>.</summary>
    Table,
    /// <summary>Named tables with the same known keys: <c>[channels.NAME]</c>.</summary>
    Map,
    /// <summary>Anything goes (e.g. <c>[logging]</c>, read by the logging library).</summary>
    Open,
}

/// <summary>
/// A section of the configuration file and its known keys, so typos and wrong types are reported with
/// the file, line and closest known key. Each project registers the schemas of its own options.
/// </summary>
public sealed class ConfigSectionSchema
{
    private ConfigSectionSchema(string name, SectionShape shape, IReadOnlyList<SettingSchema> keys)
    {
        Name = name;
        Shape = shape;
        Keys = keys;
    }

    /// <summary>The section's name in the file ("telegram").</summary>
    public string Name { get; }

    public SectionShape Shape { get; }

    public IReadOnlyList<SettingSchema> Keys { get; }

    public SettingSchema? Find(string key) => Keys.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The keys of <typeparamref name="T"/>, named by their <see cref="ConfigurationKeyNameAttribute"/>.</summary>
    public static ConfigSectionSchema Table<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string name) =>
        new(name, SectionShape.Table, KeysOf(typeof(T)));

    /// <summary>Named tables (<c>[name.anything]</c>), each with the keys of <typeparamref name="T"/>.</summary>
    public static ConfigSectionSchema Map<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(string name) =>
        new(name, SectionShape.Map, KeysOf(typeof(T)));

    public static ConfigSectionSchema Open(string name) => new(name, SectionShape.Open, []);

    private static List<SettingSchema> KeysOf([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] Type type)
    {
        var keys = new List<SettingSchema>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // Only properties the binder fills: settable ones with an explicit snake_case key.
            if (property.SetMethod is not { IsPublic: true }) continue;
            if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not { } name) continue;
            keys.Add(new SettingSchema(name.Name, KindOf(property.PropertyType)));
        }
        return keys;
    }

    private static SettingKind KindOf(Type type)
    {
        if (type == typeof(int) || type == typeof(long)) return SettingKind.WholeNumber;
        if (type == typeof(bool)) return SettingKind.Boolean;
        if (type == typeof(List<string>) || type == typeof(string[]) || type == typeof(IReadOnlyList<string>)) return SettingKind.ListOfStrings;
        return SettingKind.String;
    }
}
