namespace CsrssForensics.Rules.LookAlike;

/// <summary>Edit distances on short names. Inputs are capped by the caller, so the quadratic tables stay tiny.</summary>
internal static class EditDistance
{
    /// <summary>
    /// Optimal string alignment distance (Damerau with adjacent transpositions, no substring edited twice).
    /// <paramref name="equivalent"/> lets the caller make some substitutions free (digits for letters).
    /// </summary>
    public static int Osa(string a, string b, Func<char, char, bool>? equivalent = null)
    {
        var rows = a.Length + 1;
        var columns = b.Length + 1;

        // Callers cap names at 64 characters, so the table fits on the stack; larger inputs still work on the heap.
        var cells = rows * columns;
        Span<int> table = cells <= 4096 ? stackalloc int[cells] : new int[cells];
        var d = new Table(table, columns);
        for (var i = 0; i < rows; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j < columns; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i < rows; i++)
        {
            for (var j = 1; j < columns; j++)
            {
                var same = a[i - 1] == b[j - 1] || (equivalent is not null && equivalent(a[i - 1], b[j - 1]));
                var cost = same ? 0 : 1;
                var best = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, d[i - 2, j - 2] + 1);
                }

                d[i, j] = best;
            }
        }

        return d[rows - 1, columns - 1];
    }

    private readonly ref struct Table(Span<int> cells, int columns)
    {
        private readonly Span<int> _cells = cells;

        public ref int this[int row, int column] => ref _cells[(row * columns) + column];
    }

    /// <summary>Plain Levenshtein distance (no transpositions), used to tell a transposition apart.</summary>
    public static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
