using CsrssForensics.Core.Snapshot;

namespace CsrssForensics.Analysis.Correlation;

/// <summary>
/// Value equality for <see cref="ProcessRecord"/> (a copy of a row is the same process), with a cheap hash. The
/// record's own hash runs over every field, command line and evidence included, on every lookup; the process
/// indexes look records up hundreds of thousands of times. The fields hashed here tell rows apart: the reader gives
/// every processes.csv row its own evidence row number.
/// </summary>
internal sealed class ProcessRecordComparer : IEqualityComparer<ProcessRecord>
{
    public static ProcessRecordComparer Instance { get; } = new();

    public bool Equals(ProcessRecord? x, ProcessRecord? y) => ReferenceEquals(x, y) || (x is not null && x.Equals(y));

    public int GetHashCode(ProcessRecord obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return HashCode.Combine(obj.Pid, obj.ParentPid, obj.CreationTimeUtc, obj.SessionId, obj.Source.Row, obj.Source.Offset);
    }
}
