using CsrssForensics.Reporting.Events;

namespace CsrssForensics.Reporting.Ecs;

/// <summary>
/// The <c>@timestamp</c> of an event and where it came from (<c>csrss_forensics.time_source</c>). ECS requires a
/// timestamp; with no time in the bundle at all the Unix epoch stands in and the source says <c>none</c>, so a
/// made-up time is never mistaken for evidence.
/// </summary>
internal readonly record struct EventTime(DateTimeOffset Value, string Source)
{
    /// <summary>The bundle's collection time: the moment every state in it was observed.</summary>
    public static EventTime Collected(EventFacts facts) =>
        facts.CollectedAtUtc is { } collected ? new(collected, "collected") : new(DateTimeOffset.UnixEpoch, "none");

    /// <summary>A more precise time from the bundle (a process start) when it has one, else the collection time.</summary>
    public static EventTime Prefer(DateTimeOffset? time, string source, EventFacts facts) =>
        time is { } value ? new(value, source) : Collected(facts);
}
