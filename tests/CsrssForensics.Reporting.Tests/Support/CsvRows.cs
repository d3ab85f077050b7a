using System.Text;
using CsvHelper;

namespace CsrssForensics.Reporting.Tests.Support;

/// <summary>Reads a CSV report back into rows of fields (header included) with CsvHelper's reader.</summary>
internal static class CsvRows
{
    public static List<string[]> Parse(string csv)
    {
        var rows = new List<string[]>();
        using var reader = CsvReader.Create(Encoding.UTF8.GetBytes(csv), CsvReaderOptions.Default with { HasHeader = false });
        while (reader.Read())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader[i].ToString();
            }

            rows.Add(row);
        }

        return rows;
    }
}
