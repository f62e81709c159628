/**
 * The FidelityReport as one self-contained HTML page: inline CSS and inline SVG
 * charts drawn here, no script, font or network request, so it opens offline
 * and can be attached to a CI run. The overall score first, then the tables and
 * the columns worst first, each column with its source and target distributions
 * side by side. Every string from a profile is escaped.
 *
 * Pure (report in, text out), so it lives in core beside the model: the CLI only
 * writes the file, and a library user can render a report they scored themselves.
 *
 * @example
 * ```ts
 * await writeFile('fidelity.html', fidelityHtml(scoreFidelity(source, target)));
 * ```
 */
import type { FidelityChart, FidelityColumn, FidelityMetric, FidelityReport } from './fidelity-model.js';
import { coverageText, unmeasuredColumns, worstColumns } from './fidelity-score.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const pct = (n: number): string => (n > 0 && n < 0.0005 ? '<0.05%' : `${(n * 100).toFixed(1)}%`);
const score = (n: number | null): string => (n === null ? '–' : n.toFixed(3));

function tone(n: number | null): string {
  if (n === null) return 'none';
  return n >= 0.9 ? 'good' : n >= 0.8 ? 'fair' : 'poor';
}

const LABEL_WIDTH = 150;
const BAR_WIDTH = 200;
const ROW = 16;

function shorten(label: string, max = 24): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/** One side of a chart: horizontal bars, one per label, on a shared x scale. */
function barsSvg(chart: FidelityChart, side: 'source' | 'target', max: number): string {
  const height = chart.bars.length * ROW + 8;
  const width = LABEL_WIDTH + BAR_WIDTH + 56;
  const rows = chart.bars.map((bar, i) => {
    const value = bar[side];
    const w = max > 0 ? Math.max(value > 0 ? 1 : 0, (value / max) * BAR_WIDTH) : 0;
    const y = i * ROW + 4;
    return (
      `<g><title>${escapeHtml(`${bar.label}: ${pct(value)}`)}</title>` +
      `<text x="${LABEL_WIDTH - 6}" y="${y + 11}" text-anchor="end" class="lbl">${escapeHtml(shorten(bar.label))}</text>` +
      `<rect x="${LABEL_WIDTH}" y="${y + 1}" width="${w.toFixed(1)}" height="${ROW - 3}" class="bar ${side}"/>` +
      `<text x="${(LABEL_WIDTH + w + 4).toFixed(1)}" y="${y + 11}" class="val">${pct(value)}</text></g>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${side} distribution`)}">` +
    `<line x1="${LABEL_WIDTH}" y1="0" x2="${LABEL_WIDTH}" y2="${height}" class="axis"/>${rows.join('')}</svg>`
  );
}

/** Both CDFs on one plot, with the largest gap (the KS distance) marked. */
function cdfSvg(cdf: NonNullable<FidelityChart['cdf']>): string {
  const width = 520;
  const height = 170;
  const left = 40;
  const right = 16;
  const top = 12;
  const plotW = width - left - right;
  const plotH = height - top - 34;
  const x = (at: number): string => (left + at * plotW).toFixed(1);
  const y = (p: number): string => (top + (1 - p) * plotH).toFixed(1);
  const line = (side: 'source' | 'target'): string => cdf.points.map((p) => `${x(p.at)},${y(p[side])}`).join(' ');
  const gap = cdf.gap;
  const gapPoint = gap ? cdf.points.reduce((best, p) => (Math.abs(p.at - gap.at) < Math.abs(best.at - gap.at) ? p : best), cdf.points[0]!) : undefined;
  const marker =
    gap && gapPoint
      ? `<line x1="${x(gap.at)}" y1="${top}" x2="${x(gap.at)}" y2="${top + plotH}" class="gap"/>` +
        `<text x="${x(Math.min(gap.at, 0.7))}" y="${top + 10}" class="gaplbl" dx="4">${escapeHtml(`largest gap ${gap.distance.toFixed(3)} at ${gap.label}`)}</text>`
      : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="cumulative distributions">` +
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" class="frame"/>` +
    `<text x="${left - 4}" y="${top + 4}" text-anchor="end" class="val">1</text><text x="${left - 4}" y="${top + plotH + 3}" text-anchor="end" class="val">0</text>` +
    `<text x="${left}" y="${top + plotH + 14}" class="val">${escapeHtml(cdf.from)}</text><text x="${left + plotW}" y="${top + plotH + 14}" text-anchor="end" class="val">${escapeHtml(cdf.to)}</text>` +
    `<polyline points="${line('source')}" class="cdf source"/><polyline points="${line('target')}" class="cdf target"/>${marker}` +
    `<text x="${left}" y="${height - 4}" class="lbl"><tspan class="key source">━</tspan> source  <tspan class="key target">━</tspan> target  (cumulative share of non-null values)</text></svg>`
  );
}

function chartHtml(chart: FidelityChart): string {
  const max = Math.max(0, ...chart.bars.flatMap((b) => [b.source, b.target]));
  return (
    `<figure class="chart" data-kind="${escapeHtml(chart.kind)}"><figcaption>${escapeHtml(chart.kind)}: ${escapeHtml(chart.unit)}</figcaption>` +
    `<div class="pair"><div><h4>source</h4>${barsSvg(chart, 'source', max)}</div><div><h4>target</h4>${barsSvg(chart, 'target', max)}</div></div>` +
    (chart.cdf ? `<div class="cdfbox"><h4>cumulative (KS)</h4>${cdfSvg(chart.cdf)}</div>` : '') +
    '</figure>'
  );
}

function metricsHtml(metrics: readonly FidelityMetric[]): string {
  if (metrics.length === 0) return '';
  return `<table class="metrics"><tbody>${metrics
    .map((m) => `<tr><td class="m">${escapeHtml(m.metric)}</td><td class="s ${tone(m.score)}">${score(m.score)}</td><td>${escapeHtml(m.detail)}</td></tr>`)
    .join('')}</tbody></table>`;
}

function columnHtml(table: string, name: string, column: FidelityColumn): string {
  return (
    `<section class="column" id="${escapeHtml(`col-${table}.${name}`)}"><h3><span class="badge ${tone(column.score)}">${score(column.score)}</span> ${escapeHtml(table)}.<b>${escapeHtml(name)}</b></h3>` +
    metricsHtml(column.metrics) +
    column.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('') +
    column.charts.map(chartHtml).join('') +
    '</section>'
  );
}

const LEGEND = `<dl class="legend">
<dt>ks</dt><dd>1 − Kolmogorov–Smirnov distance: the largest gap between the source and target cumulative distributions of a number or date column (non-null values), rebuilt from frequent values and histogram bounds.</dd>
<dt>tvd</dt><dd>1 − total variation distance between category shares (frequent values plus one "other" category, non-null values): half the sum of the differences.</dd>
<dt>nulls</dt><dd>1 − the absolute difference of the NULL fractions.</dd>
<dt>distinct</dt><dd>1 − the relative error of the distinct count against the count a copy at this scale should have (a small domain keeps its values, a unique column keeps scale × rows). Foreign-key columns are scored by fan-out instead.</dd>
<dt>lengths</dt><dd>1 − total variation distance between the text-length buckets.</dd>
<dt>rows</dt><dd>1 − |target rows ÷ (scale × source rows) − 1|, at least 0.</dd>
<dt>fanout</dt><dd>1 − total variation distance between the children-per-parent buckets of a foreign key, as shares of parents.</dd>
<dt>n/m</dt><dd>Not measured: a non-key column with no value metric (its statistics were not kept on one side, e.g. a personal column). It gets no score; the value coverage counts it.</dd>
<dt>scores</dt><dd>A column scores the mean of its metrics; a table the mean of its column scores and table metrics; overall is the mean of the table scores. 1 is indistinguishable by these statistics; green ≥ 0.9, amber ≥ 0.8, red below.</dd>
</dl>`;

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:15px;margin:0 0 8px;font-weight:500}h4{font-size:12px;margin:0 0 2px;color:#5b6475;font-weight:600;text-transform:uppercase;letter-spacing:.04em}
.hero{display:flex;gap:24px;align-items:center;background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:18px 22px}
.overall{font-size:48px;font-weight:700;line-height:1}
.meta{color:#5b6475;font-size:13px}.meta div{margin:2px 0}
.good{color:#157347}.fair{color:#a86200}.poor{color:#b42318}.none{color:#5b6475}
.badge{display:inline-block;min-width:48px;text-align:center;font-weight:700;border-radius:4px;padding:1px 6px;background:#eef0f3}
table{border-collapse:collapse}
.tables td,.tables th{padding:4px 10px;border-bottom:1px solid #e5e8ec;text-align:left;vertical-align:top}
.tables th{font-size:12px;color:#5b6475}
.column{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:14px 18px;margin:12px 0}
.metrics td{padding:2px 10px 2px 0;font-size:13px}.metrics .m{font-family:ui-monospace,Menlo,monospace;color:#5b6475}.metrics .s{font-weight:600}
.note{color:#5b6475;font-size:12px;margin:4px 0}
.chart{margin:10px 0 0}.chart figcaption{font-size:12px;color:#5b6475;margin-bottom:4px}
.pair{display:flex;gap:18px;flex-wrap:wrap}
svg .lbl,svg .val{font:11px system-ui,sans-serif;fill:#1d2330}svg .val{fill:#5b6475}
svg .bar.source{fill:#4c6ef5}svg .bar.target{fill:#f08c00}svg .axis{stroke:#c4cad3}
svg .frame{fill:none;stroke:#c4cad3}svg .cdf{fill:none;stroke-width:2}svg .cdf.source{stroke:#4c6ef5}svg .cdf.target{stroke:#f08c00;stroke-dasharray:5 3}
svg .gap{stroke:#b42318;stroke-width:1.5;stroke-dasharray:3 2}svg .gaplbl{font:11px system-ui,sans-serif;fill:#b42318}svg .key.source{fill:#4c6ef5}svg .key.target{fill:#f08c00}
.cdfbox{margin-top:6px}
.legend{display:grid;grid-template-columns:80px 1fr;gap:4px 12px;background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:12px 18px;font-size:13px}
.legend dt{font-family:ui-monospace,Menlo,monospace;color:#5b6475}.legend dd{margin:0}
`;

/**
 * The report as a complete HTML document.
 * @example
 * ```ts
 * fidelityHtml(report).startsWith('<!doctype html>'); // true
 * ```
 */
/** The pair trends section: its score (apart from the overall) and every pair, worst first. */
function pairTrendsHtml(report: FidelityReport): string {
  if (!report.pairTrends) return '';
  const rows = Object.entries(report.tables)
    .flatMap(([key, t]) => (t.pairTrends?.pairs ?? []).map((p) => ({ key, p })))
    .sort((a, b) => a.p.score - b.p.score)
    .map(
      ({ key, p }) =>
        `<tr><td><span class="badge ${tone(p.score)}">${score(p.score)}</span></td><td>${escapeHtml(key)}</td><td>${escapeHtml(p.kind)}</td><td>${escapeHtml(p.subject)}</td><td>${escapeHtml(p.detail)}</td></tr>`,
    )
    .join('');
  return (
    `<h2 id="pair-trends">Pair trends <span class="badge ${tone(report.pairTrends.score)}">${score(report.pairTrends.score)}</span></h2>` +
    `<p class="note">How pairs of columns move together (correlation: 1 − |Δr|/2; contingency: 1 − total variation over pairs of values; childCount: a parent's column against its number of children). Not part of the overall score.</p>` +
    `<table class="tables"><thead><tr><th>score</th><th>table</th><th>kind</th><th>columns</th><th>detail</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

export function fidelityHtml(report: FidelityReport): string {
  const tables = Object.entries(report.tables).sort((a, b) => (a[1].score ?? 2) - (b[1].score ?? 2));
  const columns = worstColumns(report);
  const tableRows = tables
    .map(
      ([key, t]) =>
        `<tr><td><span class="badge ${tone(t.score)}">${score(t.score)}</span></td><td>${escapeHtml(key)}</td>` +
        `<td>${t.sourceRows ?? '–'} → ${t.targetRows ?? '–'}</td><td>${metricsHtml(t.metrics)}` +
        (t.onlyInSource.length > 0 ? `<p class="note">only in source (not scored): ${escapeHtml(t.onlyInSource.join(', '))}</p>` : '') +
        (t.onlyInTarget.length > 0 ? `<p class="note">only in target (not scored): ${escapeHtml(t.onlyInTarget.join(', '))}</p>` : '') +
        '</td></tr>',
    )
    .join('');
  const fanouts = tables.flatMap(([key, t]) =>
    t.charts.map(
      (chart, i) => `<section class="column"><h3>${escapeHtml(key)}: ${escapeHtml(t.metrics.filter((m) => m.metric === 'fanout')[i]?.detail ?? 'fan-out')}</h3>${chartHtml(chart)}</section>`,
    ),
  );
  const unmeasured = unmeasuredColumns(report);
  const unscored = [
    ...report.onlyInSource.map((k) => `only in source: ${k}`),
    ...report.onlyInTarget.map((k) => `only in target: ${k}`),
    ...tables.flatMap(([key, t]) =>
      Object.entries(t.columns)
        .filter(([, c]) => c.score === null && c.notMeasured === undefined)
        .map(([c]) => `${key}.${c}: no statistics to compare`),
    ),
  ];
  const unmeasuredRows = unmeasured
    .map(
      ([t, c, col]) =>
        `<tr><td><span class="badge none">n/m</span></td><td>${escapeHtml(t)}.<b>${escapeHtml(c)}</b></td><td>${escapeHtml(col.notMeasured!)}</td>` +
        `<td>${col.shapeScore === undefined ? '–' : `shape ${escapeHtml(col.metrics.map((m) => `${m.metric} ${m.score.toFixed(2)}`).join(', '))}`}</td></tr>`,
    )
    .join('');
  const coverage = report.coverage;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Understudy fidelity ${escapeHtml(score(report.overall))}</title><style>${CSS}</style></head>
<body><main>
<div class="hero"><div><div class="meta">overall fidelity</div><div class="overall ${tone(report.overall)}" id="overall">${score(report.overall)}</div></div>
<div class="meta"><h1>Understudy fidelity report</h1>
<div>source: ${escapeHtml(report.source.description ?? '(profile)')} · ${escapeHtml(report.source.dialect)} · profiled ${escapeHtml(report.source.takenAt)}</div>
<div>target: ${escapeHtml(report.target.description ?? '(profile)')} · ${escapeHtml(report.target.dialect)} · profiled ${escapeHtml(report.target.takenAt)}</div>
<div>scale ${report.scale} · ${tables.length} tables · ${columns.length} columns scored</div>
<div id="coverage" class="${coverage && coverage.ratio !== null && coverage.ratio < 1 ? 'fair' : ''}">${escapeHtml(coverageText(coverage))}</div></div></div>
<h2>Tables, worst first</h2>
<table class="tables"><thead><tr><th>score</th><th>table</th><th>rows (source → target)</th><th>table metrics</th></tr></thead><tbody>${tableRows}</tbody></table>
<h2>Columns, worst first</h2>
${columns.map(([t, c, column]) => columnHtml(t, c, column)).join('\n')}
${unmeasured.length > 0 ? `<h2 id="not-measured">Values not measured (${unmeasured.length} columns)</h2><p class="note">These columns have no value metric (ks/tvd), so they get no score and count against the value coverage; their shape metrics are listed for reference only.</p><table class="tables"><thead><tr><th></th><th>column</th><th>why not measured</th><th>shape only</th></tr></thead><tbody>${unmeasuredRows}</tbody></table>` : ''}
${fanouts.length > 0 ? `<h2>Foreign-key fan-out</h2>${fanouts.join('\n')}` : ''}
${pairTrendsHtml(report)}
${unscored.length > 0 ? `<h2>Not scored</h2><ul>${unscored.map((u) => `<li>${escapeHtml(u)}</li>`).join('')}</ul>` : ''}
<h2>What the scores mean</h2>
${LEGEND}
</main></body></html>
`;
}
