using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsrssForensics.Core.Report;
using CsrssForensics.Reporting.Text;

namespace CsrssForensics.Reporting.Json;

/// <summary>Writes enum values as camelCase strings (<c>fake</c>, <c>microsoftSigned</c>), the spelling the schema fixes.</summary>
internal sealed class CamelCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public CamelCaseEnumConverter()
        : base(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    {
    }
}

/// <summary>
/// Writes every time as UTC ISO-8601 with a 'Z' (the default converter writes the stored offset, e.g. <c>+02:00</c>,
/// which would make the same instant print differently depending on how a stage built it).
/// </summary>
internal sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected a time string."), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(ReportText.Utc(value));
    }
}

/// <summary>
/// Writes NaN and infinities (a CPU column the host filled with garbage) as null: JSON has no such numbers and the
/// default converter would throw.
/// </summary>
internal sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override bool HandleNull => false;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
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

/// <summary>
/// A report line's parameters as one JSON object (<c>{"path": "C:\\x.exe", "pids": "4, 8"}</c>), in template order,
/// so a consumer reads <c>params.path</c> rather than searching a list.
/// </summary>
internal sealed class ItemParametersConverter : JsonConverter<ImmutableArray<ItemParameter>>
{
    public override ImmutableArray<ItemParameter> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Report line parameters must be a JSON object.");
        }

        var parameters = ImmutableArray.CreateBuilder<ItemParameter>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString() ?? string.Empty;
            reader.Read();
            parameters.Add(new ItemParameter(name, reader.GetString() ?? string.Empty));
        }

        return parameters.ToImmutable();
    }

    public override void Write(Utf8JsonWriter writer, ImmutableArray<ItemParameter> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var parameter in value.IsDefault ? [] : value)
        {
            writer.WriteString(parameter.Name, parameter.Value);
        }

        writer.WriteEndObject();
    }
}
