namespace CsrssForensics.Reporting.Html;

/// <summary>
/// The page's one inline stylesheet: light and dark colours (<c>prefers-color-scheme</c>), verdict tints per row, a
/// status badge readable at a glance, paths that wrap at their separators, and a print layout that keeps the
/// summary, actions and findings and leaves the rest to the screen.
/// </summary>
internal static class HtmlStyle
{
    // Table cells may break anywhere (a 64-digit hash must not widen its column and squeeze the others); path cells
    // break only at their separators (<wbr>) and, failing that, inside a segment.
    public const string Css = """
        :root{--fg:#1b1b1b;--bg:#fff;--muted:#555;--line:#bbb;--head:#eee;--link:#0b4f9c;
          --fake-bg:#fbe0e0;--fake-fg:#7a0c0c;--sus-bg:#fff1c7;--sus-fg:#5c3f00;--inc-bg:#e6e6f5;--inc-fg:#2c2c6b;--ok-bg:#ddf2dd;--ok-fg:#14521a}
        @media (prefers-color-scheme:dark){:root{--fg:#e8e8e8;--bg:#151515;--muted:#b0b0b0;--line:#555;--head:#2a2a2a;--link:#9cc7ff;
          --fake-bg:#4a1616;--fake-fg:#ffd0d0;--sus-bg:#463a0f;--sus-fg:#ffe9a8;--inc-bg:#2a2a4a;--inc-fg:#dcdcff;--ok-bg:#173a1c;--ok-fg:#c9f0c9}}
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg);line-height:1.45}
        a{color:var(--link)}
        main{max-width:80rem;margin:0 auto;padding:.5rem 1.25rem 3rem}
        h1{font-size:1.35rem;margin:.4rem 0}
        h2{font-size:1.2rem;margin-top:1.8rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
        h3{font-size:1.02rem;margin-top:1.3rem}
        .banner{border:2px solid var(--line);border-radius:.5rem;padding:.5rem 1rem;margin:.5rem 0}
        .banner-compromised{border-color:var(--fake-fg);background:var(--fake-bg)}
        .banner-suspicious{border-color:var(--sus-fg);background:var(--sus-bg)}
        .banner-inconclusive{border-color:var(--inc-fg);background:var(--inc-bg)}
        .banner-clean{border-color:var(--ok-fg);background:var(--ok-bg)}
        .status{margin:.3rem 0;font-size:1.05rem}
        .status-badge{font-size:1.6rem;text-transform:uppercase;letter-spacing:.05em;padding:.1rem .7rem;border:2px solid currentColor}
        .counts{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
        .summary{margin:.3rem 0}.facts{margin:.3rem 0;color:var(--muted);font-size:.85rem}
        .toc ol{columns:3 14rem;margin:.2rem 0;font-size:.9rem}.toc h2{margin-top:.6rem;font-size:1rem;border:0}
        .actions li{margin:.2rem 0}
        table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.85rem;width:100%}
        th,td{border:1px solid var(--line);padding:.25rem .45rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        th{background:var(--head)}
        code.path,.path{font-family:ui-monospace,Consolas,monospace;font-size:.85em}
        td.path,code.path{overflow-wrap:break-word}
        tr.row-fake td,.detail.row-fake{background:var(--fake-bg)}
        tr.row-suspicious td,.detail.row-suspicious{background:var(--sus-bg)}
        tr.row-inconclusive td{background:var(--inc-bg)}
        tr.row-legitimate td{background:var(--ok-bg)}
        tr:has(.badge-fake) td{background:var(--fake-bg)}
        tr:has(.badge-suspicious) td{background:var(--sus-bg)}
        .detail{border:1px solid var(--line);border-radius:.4rem;padding:.2rem .9rem;margin:.8rem 0}
        .badge{padding:0 .35rem;border-radius:.25rem;font-weight:700;white-space:nowrap}
        .badge-legitimate,.badge-clean,.badge-verified{background:var(--ok-bg);color:var(--ok-fg)}
        .badge-suspicious,.badge-unverified{background:var(--sus-bg);color:var(--sus-fg)}
        .badge-fake,.badge-compromised,.badge-failed{background:var(--fake-bg);color:var(--fake-fg)}
        .badge-inconclusive{background:var(--inc-bg);color:var(--inc-fg)}
        details{border:1px solid var(--line);border-radius:.4rem;padding:.3rem .8rem}
        summary{cursor:pointer;font-weight:600}
        svg{max-width:100%;height:auto;display:block;margin:.5rem 0}
        svg text{font:13px ui-monospace,Consolas,monospace;fill:var(--fg)}
        svg .edge,svg .axis{fill:none;stroke:var(--muted);stroke-width:1.5}
        svg .dashed{stroke-dasharray:4 3}
        svg .node rect{fill:var(--head);stroke:var(--line)}
        svg .v-fake rect{fill:var(--fake-bg);stroke:var(--fake-fg)}
        svg .v-suspicious rect{fill:var(--sus-bg);stroke:var(--sus-fg)}
        svg .v-inconclusive rect{fill:var(--inc-bg);stroke:var(--inc-fg)}
        svg .v-legitimate rect{fill:var(--ok-bg);stroke:var(--ok-fg)}
        svg .focus rect{stroke-width:2.5}
        svg circle{fill:var(--link)}svg .e-file circle,svg .e-process circle{fill:var(--fake-fg)}svg .e-defender circle{fill:var(--sus-fg)}
        svg .when{fill:var(--muted)}
        svg .local circle{fill:var(--bg);stroke:var(--link);stroke-width:2}svg .e-task circle{fill:var(--sus-fg)}svg .e-task.local circle{fill:var(--bg);stroke:var(--sus-fg)}
        svg .ghost rect{fill:none;stroke:var(--muted);stroke-dasharray:4 3}
        .tree-figure{margin:1rem 0}.tree-figure figcaption{font-weight:600}
        @media print{
          :root{--fg:#000;--bg:#fff}
          main{max-width:none;padding:0}
          .toc,.top,section:not(#actions):not(#findings),#timeline,svg.timeline,.timeline-table,.timeline-table+p{display:none}
          table{font-size:.72rem}
          tr,li{break-inside:avoid}
          a{color:inherit;text-decoration:none}
        }
        """;
}
