using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace CsrssForensics.Cli.Bench;

/// <summary>What the reading floor touched.</summary>
internal sealed record FloorCounts(int Files, long Bytes, long CsvRows, int XmlDocuments, int JsonDocuments);

/// <summary>
/// Issue 13's yardstick: the least any analyzer of a bundle must do. Every file is SHA-256'd (the manifest check needs
/// that much), every CSV row is split into cell strings, every task XML is read node by node and every JSON part is
/// parsed into a document; nothing is kept and nothing is judged. The analysis time is reported as a ratio to this.
/// </summary>
internal static class ReadingFloor
{
    private const int BufferBytes = 1 << 16;

    public static FloorCounts Read(string bundle)
    {
        int files = 0, xml = 0, json = 0;
        long bytes = 0, rows = 0;
        foreach (string path in Directory.EnumerateFiles(bundle, "*", SearchOption.AllDirectories))
        {
            files++;
            using (FileStream stream = Open(path))
            {
                bytes += stream.Length;
                _ = SHA256.HashData(stream);
            }

            if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                rows += CountCsvRows(path);
            }
            else if (path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
            {
                ReadXml(path);
                xml++;
            }
            else if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                using FileStream stream = Open(path);
                using JsonDocument document = JsonDocument.Parse(stream);
                json++;
            }
        }

        return new FloorCounts(files, bytes, rows, xml, json);
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan);

    private static void ReadXml(string path)
    {
        using FileStream stream = Open(path);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        while (reader.Read())
        {
        }
    }

    /// <summary>RFC 4180 rows (quoted cells may hold commas, quotes and line breaks), each cell made a string.</summary>
    private static long CountCsvRows(string path)
    {
        using var reader = new StreamReader(Open(path), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, BufferBytes);
        var cell = new StringBuilder(256);
        var cells = new List<string>(16);
        long rows = 0;
        bool quoted = false;
        int next;
        while ((next = reader.Read()) >= 0)
        {
            char c = (char)next;
            if (quoted)
            {
                if (c != '"')
                {
                    cell.Append(c);
                }
                else if (reader.Peek() == '"')
                {
                    cell.Append('"');
                    reader.Read();
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\n')
            {
                cells.Add(cell.ToString());
                cell.Clear();
                cells.Clear();
                rows++;
            }
            else if (c != '\r')
            {
                cell.Append(c);
            }
        }

        return cell.Length > 0 ? rows + 1 : rows;
    }
}
