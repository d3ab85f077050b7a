using System.Text.Json.Serialization;
using CsrssForensics.Core.Report;

namespace CsrssForensics.Reporting.Json;

/// <summary>
/// Source-generated serializer for the report (no reflection, trimming- and AOT-safe). Property names and enum values
/// are camelCase, times are UTC with 'Z', line endings are '\n' on every OS.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    IndentSize = 2,
    NewLine = "\n",
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    Converters = new[]
    {
        typeof(UtcDateTimeOffsetConverter),
        typeof(FiniteDoubleConverter),
        typeof(ItemParametersConverter),
        typeof(CamelCaseEnumConverter<Core.Report.OverallStatus>),
        typeof(CamelCaseEnumConverter<Core.Snapshot.IntegrityStatus>),
        typeof(CamelCaseEnumConverter<Core.Snapshot.IntegrityProblem>),
        typeof(CamelCaseEnumConverter<Core.Verdicts.SubjectKind>),
        typeof(CamelCaseEnumConverter<Core.Verdicts.Verdict>),
        typeof(CamelCaseEnumConverter<Core.Verdicts.SignatureStatus>),
        typeof(CamelCaseEnumConverter<Core.Verdicts.SignatureSource>),
        typeof(CamelCaseEnumConverter<Core.Verdicts.RootOrigin>),
        typeof(CamelCaseEnumConverter<Core.Verdicts.EvidenceStrength>),
        typeof(CamelCaseEnumConverter<Core.Evidence.AnomalySeverity>),
    })]
[JsonSerializable(typeof(AnalysisReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
