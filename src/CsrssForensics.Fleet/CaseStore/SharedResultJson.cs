using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CsrssForensics.Analysis.Signatures;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Pe.Authenticode;

namespace CsrssForensics.Fleet.CaseStore;

/// <summary>
/// A verified binary's whole result (PE facts, every signature check, anomalies) as JSON in the case's
/// <c>signatures.result_json</c>, so a later run into the same case answers the same bytes in the same context from it
/// instead of verifying them again. A result is read back only by the analyzer build that wrote it
/// (<see cref="AnalyzerBuild"/>): another build may judge the same bytes differently.
/// </summary>
internal static class SharedResultJson
{
    /// <summary>The analyzer build a stored result belongs to: the Analysis assembly's informational version.</summary>
    public static string AnalyzerBuild { get; } =
        typeof(SharedBinaryResults).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(SharedBinaryResults).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static string Write(SharedBinaryResult result) => JsonSerializer.Serialize(result, SharedResultJsonContext.Default.SharedBinaryResult);

    /// <summary>The stored result, or null when the text is not one (a damaged row only means the binary is verified again).</summary>
    public static SharedBinaryResult? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SharedResultJsonContext.Default.SharedBinaryResult);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// <see cref="ImmutableArray{T}"/> as a JSON array, and a default (uninitialised) one as null, so a result reads back
/// exactly as it was (the serializer's own handling would throw on a default array).
/// </summary>
internal sealed class ImmutableArrayJsonConverter<T> : JsonConverter<ImmutableArray<T>>
{
    public override ImmutableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        var items = JsonSerializer.Deserialize(ref reader, (JsonTypeInfo<T[]>)options.GetTypeInfo(typeof(T[])));
        return items is null ? default : ImmutableArray.Create(items);
    }

    public override void Write(Utf8JsonWriter writer, ImmutableArray<T> value, JsonSerializerOptions options)
    {
        if (value.IsDefault)
        {
            writer.WriteNullValue();
            return;
        }

        JsonSerializer.Serialize(writer, value.ToArray(), (JsonTypeInfo<T[]>)options.GetTypeInfo(typeof(T[])));
    }
}

/// <summary>Source-generated JSON for stored results (no reflection; enums as words, so a renumbered enum cannot shift them).</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    Converters = [
        typeof(ImmutableArrayJsonConverter<string>),
        typeof(ImmutableArrayJsonConverter<Anomaly>),
        typeof(ImmutableArrayJsonConverter<SignatureCheck>),
        typeof(ImmutableArrayJsonConverter<CatalogHit>)])]
[JsonSerializable(typeof(SharedBinaryResult))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(Anomaly[]))]
[JsonSerializable(typeof(SignatureCheck[]))]
[JsonSerializable(typeof(CatalogHit[]))]
internal sealed partial class SharedResultJsonContext : JsonSerializerContext;
