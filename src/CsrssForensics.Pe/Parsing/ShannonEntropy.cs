using System.Runtime.InteropServices;

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

        // Eight bytes per step keeps this cheap even in unoptimised (Debug) builds, where span indexing is a call.
        var counts = new long[256];
        var blocks = data.Length / 8;
        foreach (var block in MemoryMarshal.Cast<byte, ulong>(data[..(blocks * 8)]))
        {
            counts[(int)(block & 0xFF)]++;
            counts[(int)((block >> 8) & 0xFF)]++;
            counts[(int)((block >> 16) & 0xFF)]++;
            counts[(int)((block >> 24) & 0xFF)]++;
            counts[(int)((block >> 32) & 0xFF)]++;
            counts[(int)((block >> 40) & 0xFF)]++;
            counts[(int)((block >> 48) & 0xFF)]++;
            counts[(int)(block >> 56)]++;
        }

        foreach (var b in data[(blocks * 8)..])
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
