using System.Security.Cryptography;
using System.Text;
using HandsBot.Core.Model;

namespace HandsBot.Core.Manifest.Disk;

/// <summary>Reads a hand folder's text files (HAND.toml, SYSTEM.md, skills/*.md) without ever throwing for bad input.</summary>
internal static class HandFiles
{
    /// <summary>Larger manifests or prompts are refused: they are a mistake, and reading them would stall a load.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The file's bytes and text, or a reason it could not be read.</summary>
    public static (byte[]? Bytes, string? Text, string? Problem) ReadText(string path)
    {
        try
        {
            if (Directory.Exists(path)) return (null, null, "is a folder, expected a file");
            var info = new FileInfo(path);
            if (!info.Exists) return (null, null, "not found");
            if (info.Length > MaxFileBytes) return (null, null, $"is too large ({info.Length} bytes; the limit is {MaxFileBytes})");
            var bytes = File.ReadAllBytes(path);
            try
            {
                var text = StrictUtf8.GetString(bytes);
                if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
                return (bytes, text, null);
            }
            catch (DecoderFallbackException)
            {
                return (bytes, null, "is not UTF-8 text");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            return (null, null, $"cannot be read ({ex.GetType().Name})");
        }
    }

    /// <summary>skills/*.md in ordinal file-name order, with the problems of any that could not be read.</summary>
    public static (IReadOnlyList<(SkillFile Skill, byte[] Bytes)> Skills, IReadOnlyList<(string File, string Problem)> Problems) ReadSkills(string handDirectory)
    {
        var skills = new List<(SkillFile, byte[])>();
        var problems = new List<(string, string)>();
        var folder = Path.Combine(handDirectory, "skills");
        string[] files;
        try
        {
            if (!Directory.Exists(folder)) return (skills, problems);
            files = Directory.GetFiles(folder, "*.md", SearchOption.TopDirectoryOnly);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add((folder, $"cannot be listed ({ex.GetType().Name})"));
            return (skills, problems);
        }
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            // Directory.GetFiles' pattern also matches "*.mdx" on some platforms; keep exactly .md.
            if (!file.EndsWith(".md", StringComparison.Ordinal)) continue;
            var (bytes, text, problem) = ReadText(file);
            if (problem is not null)
            {
                problems.Add((file, problem));
                continue;
            }
            skills.Add((new SkillFile(Path.GetFileNameWithoutExtension(file), text!), bytes!));
        }
        return (skills, problems);
    }

    /// <summary>SHA-256 (lower-case hex) of HAND.toml, SYSTEM.md and skills, each framed by name and length so moving bytes between files changes it.</summary>
    public static string ContentHash(byte[]? manifest, byte[]? systemPrompt, IEnumerable<(string Name, byte[] Bytes)> skills)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "HAND.toml", manifest);
        Append(hash, "SYSTEM.md", systemPrompt);
        foreach (var (name, bytes) in skills)
        {
            Append(hash, "skills/" + name + ".md", bytes);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string name, byte[]? bytes)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(name));
        Span<byte> length = stackalloc byte[9];
        // A length of -1 marks an absent file, distinct from an empty one.
        BitConverter.TryWriteBytes(length[1..], (long)(bytes?.Length ?? -1));
        hash.AppendData(length);
        if (bytes is not null) hash.AppendData(bytes);
    }
}
