using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace HandsBot.Agents.Llm;

/// <summary>
/// A minimal client for POST {endpoint}/chat/completions (OpenAI-compatible: OpenAI, Ollama, vLLM, llama.cpp).
/// No retries: a failed turn fails the run with a message that says why.
/// </summary>
internal sealed class ChatCompletionsClient(HttpClient http)
{
    private const int MaxErrorDetail = 400;

    public async Task<ChatMessage> CompleteAsync(LlmEndpoint endpoint, ChatRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint.CompletionsUri)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, LlmJsonContext.Default.ChatRequest))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
            },
        };
        if (!string.IsNullOrEmpty(endpoint.ApiKey))
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", endpoint.ApiKey);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (!ct.IsCancellationRequested)
        {
            throw new LlmException($"cannot reach LLM endpoint {endpoint}: {Describe(e)}", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new LlmException(DescribeFailure(endpoint, request.Model, response.StatusCode, body));

            ChatResponse? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(body, LlmJsonContext.Default.ChatResponse);
            }
            catch (JsonException e)
            {
                throw new LlmException($"LLM endpoint {endpoint} sent a response that is not chat completion JSON: {e.Message}", e);
            }

            if (parsed?.Error is { } error && error.ValueKind != JsonValueKind.Null)
                throw new LlmException($"LLM endpoint {endpoint} reported an error for model '{request.Model}': {endpoint.Scrub(ErrorText(error))}");
            var choice = parsed?.Choices?.FirstOrDefault()?.Message;
            return choice ?? throw new LlmException($"LLM endpoint {endpoint} returned no message for model '{request.Model}'");
        }
    }

    private static string DescribeFailure(LlmEndpoint endpoint, string model, HttpStatusCode status, string body)
    {
        var detail = endpoint.Scrub(ErrorDetail(body));
        var code = (int)status;
        var suffix = detail.Length == 0 ? "" : ": " + detail;
        return status switch
        {
            HttpStatusCode.NotFound =>
                $"model '{model}' not found at LLM endpoint {endpoint} (HTTP 404{suffix})",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"LLM endpoint {endpoint} refused the request (HTTP {code}): check [llm] api_key{suffix}",
            _ => $"LLM endpoint {endpoint} failed for model '{model}' (HTTP {code}{suffix})",
        };
    }

    /// <summary>The server's own words: error.message from a JSON body, else the body's start.</summary>
    private static string ErrorDetail(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
                return Truncate(ErrorText(error));
        }
        catch (JsonException)
        {
            // Not JSON: fall back to the raw text.
        }
        return Truncate(body.Trim());
    }

    private static string ErrorText(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString() ?? "",
        JsonValueKind.Object when error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString() ?? "",
        _ => error.GetRawText(),
    };

    private static string Truncate(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= MaxErrorDetail ? oneLine : oneLine[..MaxErrorDetail] + "…";
    }

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                    _ => socket.Message,
                };
            }
        }
        return e.Message;
    }
}
