using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Api.Orchestration;

/// <summary>How job specs and stage results are stored in the job store: camelCase, enums by name.</summary>
public static class JobJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
