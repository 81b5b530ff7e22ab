namespace HandsBot.Agents.Llm;

/// <summary>Where to send chat completions: the base URL (…/v1) and an optional bearer key.</summary>
internal sealed record LlmEndpoint(string BaseUrl, string ApiKey)
{
    public Uri CompletionsUri => new(BaseUrl.TrimEnd('/') + "/chat/completions");

    /// <summary>Removes the key from text that came back from the server, in case it echoes the request.</summary>
    public string Scrub(string text) =>
        string.IsNullOrEmpty(ApiKey) ? text : text.Replace(ApiKey, "***", StringComparison.Ordinal);

    public override string ToString() => BaseUrl;
}
