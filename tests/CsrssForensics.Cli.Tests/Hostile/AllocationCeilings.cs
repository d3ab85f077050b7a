namespace CsrssForensics.Cli.Tests.Hostile;

/// <summary>
/// Tests that read the process-wide allocation counter (work is spread over threads, so a per-thread count would
/// miss some of it): xunit runs this collection on its own, never beside another test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCeilings
{
    public const string Name = "Allocation ceilings";
}
