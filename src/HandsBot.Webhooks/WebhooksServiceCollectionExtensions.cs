using HandsBot.Webhooks.Audit;
using HandsBot.Webhooks.Endpoint;
using HandsBot.Webhooks.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HandsBot.Webhooks;

/// <summary>Webhook hands' HTTP endpoint: <c>POST /hooks/&lt;hand&gt;</c> (see README, "Triggers").</summary>
public static class WebhooksServiceCollectionExtensions
{
    /// <summary>The path a hand's hook listens on.</summary>
    public static string PathFor(string hand) => "/hooks/" + Uri.EscapeDataString(hand);

    /// <summary>Registers the endpoint's parts: per-hook rate limits and the audit writer. Needs the engine (AddHandsBotEngine).</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HookRateLimiter>();
        services.TryAddSingleton<WebhookEndpoint>();
        if (!services.Any(d => d.ServiceType == typeof(WebhookAudit)))
        {
            services.AddSingleton<WebhookAudit>();
            services.AddHostedService(sp => sp.GetRequiredService<WebhookAudit>());
        }
        return services;
    }

    /// <summary>Maps <c>POST /hooks/{hand}</c>.</summary>
    public static IEndpointRouteBuilder MapHandWebhooks(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(WebhookEndpoint.Route, (HttpContext context, string hand, WebhookEndpoint endpoint) => endpoint.HandleAsync(context, hand));
        return app;
    }
}
