using System.Collections.Immutable;
using System.Reflection;
using CsrssForensics.Core.Evidence;
using CsrssForensics.Core.Snapshot;
using CsrssForensics.Core.Verdicts;

namespace CsrssForensics.Core.Tests.Records;

/// <summary>
/// Core records cannot hold an uninitialised (default) array, so no reader needs an <c>IsDefault</c> guard: every
/// array member built from nothing, by constructor or by <c>with</c>, reads as empty.
/// </summary>
public sealed class RecordsNeverHoldDefaultArraysTests
{
    public static TheoryData<Type> RecordsWithArrays()
    {
        var data = new TheoryData<Type>();
        foreach (var type in RecordTypes())
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void The_records_with_arrays_are_found()
    {
        // Guards the theory below against silently checking nothing.
        var types = RecordTypes();
        Assert.Contains(typeof(SubjectContext), types);
        Assert.Contains(typeof(BundleSnapshot), types);
        Assert.Contains(typeof(DefenderState), types);
        Assert.True(types.Count >= 20, $"only {types.Count} records with arrays found");
    }

    [Theory]
    [MemberData(nameof(RecordsWithArrays))]
    public void A_record_built_from_default_arguments_holds_empty_arrays(Type type)
    {
        var record = BuildFromDefaults(type);

        foreach (var property in ArrayProperties(type))
        {
            Assert.False(IsDefault(property.GetValue(record)!), $"{type.Name}.{property.Name} is default after construction");
        }
    }

    [Theory]
    [MemberData(nameof(RecordsWithArrays))]
    public void Setting_a_default_array_later_gives_an_empty_one(Type type)
    {
        var record = BuildFromDefaults(type);

        foreach (var property in ArrayProperties(type).Where(p => p.CanWrite))
        {
            // What a `with { X = default }` or a deserializer does: the init accessor runs.
            property.SetValue(record, Activator.CreateInstance(property.PropertyType));
            Assert.False(IsDefault(property.GetValue(record)!), $"{type.Name}.{property.Name} is default after init");
        }
    }

    [Fact]
    public void A_context_without_a_signature_answer_reads_as_unknown()
    {
        var context = new SubjectContext(
            new Subject(SubjectKind.Process, "csrss.exe", null, 4), null, null, null!, null, null, false,
            default, default, default, default, null);

        Assert.Equal(SignatureStatus.Unknown, context.Signature.Status);
        Assert.Equal(SignatureSource.None, context.Signature.Source);
        Assert.Empty(context.Launchers);
        Assert.Empty((context with { Children = default }).Children);
        Assert.Equal(SignatureStatus.Unknown, (context with { Signature = null! }).Signature.Status);
    }

    [Fact]
    public void Arrays_given_are_kept()
    {
        var finding = new Finding("X", AnomalySeverity.Low, "t", "d", [new EvidenceRef("processes.csv", 2)]);

        Assert.Single(finding.Evidence);
        Assert.Equal("processes.csv", finding.Evidence[0].BundleFile);
    }

    private static List<Type> RecordTypes() =>
        [.. typeof(EvidenceRef).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && ArrayProperties(t).Any())
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    private static IEnumerable<PropertyInfo> ArrayProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(ImmutableArray<>));

    private static bool IsDefault(object array) =>
        (bool)array.GetType().GetProperty(nameof(ImmutableArray<int>.IsDefault))!.GetValue(array)!;

    // The widest public constructor, every argument its type's default (null, 0, default array).
    private static object BuildFromDefaults(Type type)
    {
        var constructor = type.GetConstructors()
            .Where(c => !c.GetParameters().Any(p => p.ParameterType == type))
            .OrderByDescending(c => c.GetParameters().Length)
            .First();
        var arguments = constructor.GetParameters()
            .Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)
            .ToArray();
        return constructor.Invoke(arguments);
    }
}
