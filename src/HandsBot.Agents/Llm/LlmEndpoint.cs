namespace HandsBot.Agents.Llm;

/// <summary>Where to send chat completions: the base URL (…/v1) and an optional bearer key.</summary>
internal sealed record LlmEndpoint(string BaseUrl, string ApiKey)
{
    public Uri CompletionsUri => new(BaseUrl.TrimEnd('/') + "/chat/completions");

    /// <summary>Removes the key from text that came back from the server, in case it echoes the request.</summary>
    public string Scrub(string text) =>
        string.IsNullOrEmpty(ApiKey) ? text : text.Replace(ApiKey, "***", StringComparison.Ordinal);

    /// <summary>The URL without any user:password part, for messages and logs.</summary>
    public string Display { get; } = WithoutUserInfo(BaseUrl);

    public override string ToString() => Display;

    private static string WithoutUserInfo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/')
            : url;
}
