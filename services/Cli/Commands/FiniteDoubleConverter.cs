using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Cli.Commands;

/// <summary>
/// JSON has no NaN or infinity: an undefined figure (a metric over no valid frame, a ratio with no pause) is written as
/// null, so every tool can parse the output.
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
