namespace CsrssForensics.Pe.Parsing;

/// <summary>Shannon entropy in bits per byte (0 for empty or uniform data, 8 for perfectly random data).</summary>
internal static class ShannonEntropy
{
    public static double Compute(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return 0;
        }

        Span<long> counts = stackalloc long[256];
        foreach (var b in data)
        {
            counts[b]++;
        }

        double entropy = 0;
        double total = data.Length;
        foreach (var count in counts)
        {
            if (count == 0)
            {
                continue;
            }

            var p = count / total;
            entropy -= p * Math.Log2(p);
        }

        // Four decimals keep reports readable and stable; the value is a heuristic, not a measurement.
        return Math.Round(entropy, 4, MidpointRounding.AwayFromZero);
    }
}
