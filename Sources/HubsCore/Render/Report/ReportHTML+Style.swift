extension ReportHTML {
    /// The report's stylesheet: system fonts, screen and A4 print (no chart or card split across
    /// pages, page numbers where the browser supports page margin boxes).
    static let css = """
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif; color: #1d1d1f; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
        h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; margin-top: 2rem; }
        .sub { color: #555; margin-top: 0; } code { font-size: .9em; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
        .warn { color: #9a3412; font-weight: 600; }
        table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .92rem; }
        th, td { border-bottom: 1px solid #e2e2e2; padding: .25rem .4rem; text-align: left; vertical-align: top; }
        th { background: #f4f4f5; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.inputs code { word-break: break-all; font-size: .8em; }
        td.d1 { padding-left: 1.4rem; } td.d2 { padding-left: 2.4rem; } td.d3 { padding-left: 3.4rem; }
        figure.chart { margin: 1rem 0; } figure.chart svg { width: 100%; height: auto; font-size: 12px; }
        svg text.name { text-anchor: end; } svg text.risk { fill: #333; } svg text.apart { font-weight: 600; fill: #555; }
        svg line.band { stroke: #555; stroke-dasharray: 3 3; } svg text.bandlabel { text-anchor: end; fill: #555; font-size: 11px; }
        .key { display: inline-block; width: .9rem; height: .9rem; vertical-align: middle; margin: 0 .3rem 0 .8rem; border: 1px solid #888; }
        .key.g0 { background: #0072B2; } .key.g1 { background: #E69F00; } .key.g2 { background: #009E73; } .key.g3 { background: #CC79A7; }
        .key.g4 { background: #56B4E9; } .key.g5 { background: #D55E00; } .key.g6 { background: #F0E442; } .key.g7 { background: #000000; }
        .key.hatched { background: repeating-linear-gradient(45deg, #777 0 3px, #fff 3px 6px); }
        .card { border: 1px solid #ddd; border-radius: 6px; padding: .2rem 1rem .6rem; margin: 1rem 0; }
        .card h3 { margin-bottom: .2rem; } .card h4 { margin: .8rem 0 .2rem; }
        td.barcell { width: 30%; } .minibar { display: inline-block; height: .7rem; background: #0072B2; }
        .minibar.assumed { background: repeating-linear-gradient(45deg, #0072B2 0 3px, #fff 3px 6px); border: 1px solid #0072B2; }
        ol.sources li { margin-bottom: .4rem; } p.compact { font-size: .8rem; color: #333; } p.note { color: #555; font-style: italic; } .stale { color: #9a3412; } small.why { color: #555; }
        svg text.tick { text-anchor: middle; fill: #555; font-size: 11px; } svg line.grid { stroke: #eee; }
        svg line.range { stroke: #0072B2; stroke-width: 3; } svg circle.median { fill: #0072B2; } svg rect.nominal { fill: none; stroke: #D55E00; stroke-width: 2; }
        svg line.moved { stroke: #D55E00; stroke-width: 2; } svg line.same { stroke: #bbb; }
        svg line.axis { stroke: #888; } svg text.axiscaption { fill: #555; font-size: 11px; }
        svg.inline { vertical-align: middle; } svg rect.bandpart { stroke: #fff; stroke-width: 1.5; }
        @media print {
          body { margin: 0; max-width: none; font-size: 9.5pt; line-height: 1.35; }
          h2 { margin-top: 1.1rem; } table { font-size: 8.5pt; } th, td { padding: .1rem .3rem; }
          figure.chart { margin: .4rem 0; } figure.chart svg { max-height: 4.6cm; } h1 { margin-top: 0; } dl.meta { font-size: 8.5pt; } figure.chart figcaption { font-size: 8pt; }
          a { color: inherit; text-decoration: none; }
          figure.chart, .card, table.ranking, table.tree tr { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        @page { size: A4; margin: 16mm 14mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 9pt; } }

        """
}
