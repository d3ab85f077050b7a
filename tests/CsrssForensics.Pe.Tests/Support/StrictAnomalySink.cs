using CsrssForensics.Core.Evidence;
using Xunit.Sdk;

namespace CsrssForensics.Pe.Tests.Support;

/// <summary>For clean inputs: any anomaly fails the test at the point it is reported.</summary>
internal sealed class StrictAnomalySink : IAnomalySink
{
    public void Report(Anomaly anomaly) =>
        throw new XunitException($"unexpected anomaly {anomaly.Code} ({anomaly.Severity}): {anomaly.Message} at {anomaly.Evidence}");
}
