using System.Text.Encodings.Web;
using CsrssForensics.Reporting.Markdown;
using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html.Inlines;
using Markdig.Syntax.Inlines;

namespace CsrssForensics.Reporting.Html;

/// <summary>
/// Lays out the evidence sections the Markdown report shares with the page: each section's Markdown goes through
/// Markdig once, straight into the page's writer. Status words get their badge class while rendering (see
/// <see cref="BadgeRenderer"/>), not by replacing text afterwards.
/// </summary>
internal static class HtmlMarkdown
{
    // Pipe tables only. Raw HTML is disabled (HTML blocks and inline HTML render as text) and neither the AutoLinks
    // nor the GenericAttributes extension is loaded: bundle strings arrive escaped, and nothing may turn them into
    // links or attributes.
    private static readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .DisableHtml()
        .Build();

    // Markdown laid out per piece of about this many characters (see MarkdownChunks).
    private const int ChunkLength = 256 * 1024;

    /// <summary>Writes the section's body (its heading is the caller's) as HTML.</summary>
    public static void Write(TextWriter writer, MarkdownSection section)
    {
        var md = new MarkdownBuilder();
        section.Body(md);
        Write(writer, md.ToString());
    }

    /// <summary>Writes Markdown as HTML; Markdown that Markdig refuses is shown as encoded text instead.</summary>
    public static void Write(TextWriter writer, string markdown)
    {
        var pieces = MarkdownChunks.Split(markdown, ChunkLength).ToList();
        var documents = new List<Markdig.Syntax.MarkdownDocument>(pieces.Count);
        try
        {
            // Parsed before anything is written, so a refused piece never leaves half a section on the page.
            foreach (var piece in pieces)
            {
                documents.Add(Markdig.Markdown.Parse(piece, _pipeline));
            }
        }
        catch (ArgumentException)
        {
            // Markdig refuses input nested beyond its depth limit. The report must still be written.
            writer.Write("<p><strong>This section could not be laid out as HTML; its Markdown text follows.</strong></p>\n<pre>");
            writer.Write(HtmlEncoder.Default.Encode(markdown));
            writer.Write("</pre>\n");
            return;
        }

        foreach (var document in documents)
        {
            var renderer = new HtmlRenderer(writer);
            _pipeline.Setup(renderer);
            renderer.ObjectRenderers.ReplaceOrAdd<EmphasisInlineRenderer>(new BadgeRenderer());
            renderer.Render(document);
            writer.Flush();
        }
    }

    /// <summary>
    /// Gives this project's bold status words (<see cref="Badge.Words"/>) their badge class. Bundle text cannot make a
    /// <c>&lt;strong&gt;</c>: its asterisks and underscores are escaped in the Markdown.
    /// </summary>
    private sealed class BadgeRenderer : EmphasisInlineRenderer
    {
        protected override void Write(HtmlRenderer renderer, EmphasisInline obj)
        {
            if (obj.DelimiterCount == 2 && obj.FirstChild is LiteralInline literal && literal.NextSibling is null)
            {
                var word = literal.Content.ToString();
                if (Badge.Words.Contains(word, StringComparer.Ordinal))
                {
                    renderer.Write("<strong class=\"badge badge-").Write(word).Write("\">").Write(word).Write("</strong>");
                    return;
                }
            }

            base.Write(renderer, obj);
        }
    }
}
