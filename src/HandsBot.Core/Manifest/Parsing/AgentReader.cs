using HandsBot.Core.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Reads [agent]: model, endpoint, max_iterations, temperature, timeout.</summary>
internal static class AgentReader
{
    public static readonly string[] Keys = ["model", "endpoint", "max_iterations", "temperature", "timeout"];

    public static AgentSpec Read(TableReader agent)
    {
        agent.WarnUnknownKeys(Keys);
        var spec = new AgentSpec();
        var model = agent.String("model");
        if (model is not null && string.IsNullOrWhiteSpace(model))
        {
            agent.Error("model", "must not be empty (leave it out to use the configured default model)");
            model = null;
        }
        var endpoint = agent.String("endpoint");
        // An empty endpoint means "use [llm] endpoint from the config", as in the documented example.
        if (string.IsNullOrWhiteSpace(endpoint)) endpoint = null;
        if (endpoint is not null
            && (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            agent.Error("endpoint", $"'{endpoint}' is not an http:// or https:// URL");
            endpoint = null;
        }
        var iterations = agent.Integer("max_iterations");
        if (iterations is < 1 or > 1000)
        {
            agent.Error("max_iterations", $"must be between 1 and 1000 (got {iterations})");
            iterations = null;
        }
        var temperature = agent.Number("temperature");
        if (temperature is < 0 or > 2)
        {
            agent.Error("temperature", $"must be between 0 and 2 (got {temperature})");
            temperature = null;
        }
        var timeout = agent.Seconds("timeout", allowZero: false);
        return spec with
        {
            Model = model,
            Endpoint = endpoint,
            MaxIterations = (int?)iterations ?? spec.MaxIterations,
            Temperature = temperature ?? spec.Temperature,
            Timeout = timeout ?? spec.Timeout,
        };
    }
}
