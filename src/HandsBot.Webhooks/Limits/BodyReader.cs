using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace HandsBot.Webhooks.Limits;

/// <summary>Reads a request body up to a hard limit: null as soon as it is over, without buffering more than the limit.</summary>
internal static class BodyReader
{
    public static async Task<byte[]?> ReadAsync(HttpContext context, long limit, CancellationToken ct)
    {
        var request = context.Request;
        if (request.ContentLength > limit) return null;
        // Kestrel enforces it too, for a chunked body that lies about nothing until it is too long.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = limit + 1;

        var buffer = new byte[(int)Math.Min(request.ContentLength ?? 16 * 1024, limit + 1)];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > limit) return null;
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit + 1));
            }
            int read;
            try
            {
                read = await request.Body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
            }
            catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return null;
            }
            if (read == 0) break;
            length += read;
            if (length > limit) return null;
        }
        return length == buffer.Length ? buffer : buffer[..length];
    }
}
