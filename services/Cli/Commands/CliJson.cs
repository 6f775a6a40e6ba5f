using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Cli.Commands;

/// <summary>The one JSON object a command prints with --json: snake_case keys, enums by name, finite numbers (NaN and infinity as null).</summary>
public static class CliJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower), new FiniteDoubleConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Print(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Options));
}
