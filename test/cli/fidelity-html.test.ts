/**
 * `understudy fidelity --html`: the report for two saved profiles renders in
 * headless Chromium (Debian's `chromium` package) from a file:// URL with no
 * network: the DOM has the overall score and two SVG charts (source, target) per
 * chart figure, and a screenshot is a real, non-blank PNG.
 *
 * Chromium missing fails the test, saying how to install it; set
 * UNDERSTUDY_SKIP_BROWSER=1 to skip it instead.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FidelityReport, Profile, ProfileColumn } from '@understudy/core';
import { runCli } from '../run-cli.js';

const CHROMIUM = process.env['UNDERSTUDY_CHROMIUM'] ?? '/usr/bin/chromium';
const skipBrowser = process.env['UNDERSTUDY_SKIP_BROWSER'] === '1';
if (skipBrowser) console.warn('UNDERSTUDY_SKIP_BROWSER=1: skipping the headless Chromium rendering test of the fidelity report (apt-get install chromium to run it)');

function col(over: Partial<ProfileColumn>): ProfileColumn {
  return { nullFraction: 0, distinctCount: null, distinctRatio: null, personal: false, kept: [], dropped: [], reason: 'test', ...over };
}

/** A shop profile; `skew` moves the target away from the source (0 = identical). */
function shopProfile(skew: number, rows: number): Profile {
  const n = (x: number): number => Math.round(x * rows);
  return {
    version: 1,
    dialect: 'postgres',
    source: `postgres://localhost/${skew === 0 ? 'prod' : 'staging'}`,
    takenAt: '2026-11-22T06:00:00.000Z',
    k: 10,
    scanned: true,
    ranAnalyze: true,
    notes: [],
    tables: {
      'public.customers': {
        rowEstimate: n(1),
        analysed: true,
        foreignKeys: {},
        columns: {
          id: col({ distinctCount: n(1), distinctRatio: 1, histogram: { bounds: [1, n(0.5), n(1)] } }),
          country: col({
            distinctCount: 5,
            distinctRatio: 5 / n(1),
            mostCommon: { values: ['US', 'DE', 'GB', 'FR', '<b>XX</b>'], frequencies: [0.4 - skew, 0.25, 0.15, 0.1 + skew, 0.1] },
            lengths: [{ length: '2-3', rows: n(1) }],
          }),
          referrer: col({
            nullFraction: 0.3 + skew / 2,
            distinctCount: n(0.6),
            distinctRatio: 0.6,
            lengths: [
              { length: '4-7', rows: n(0.4) },
              { length: '8-15', rows: n(0.3 - skew / 2) },
            ],
          }),
          created_at: col({ distinctCount: n(1), distinctRatio: 1, histogram: { bounds: ['2021-01-01', '2023-01-01', '2024-01-01', skew === 0 ? '2024-07-01' : '2024-03-01', '2025-01-01'] } }),
        },
      },
      'public.orders': {
        rowEstimate: n(5),
        analysed: true,
        columns: {
          id: col({ distinctCount: n(5), distinctRatio: 1, histogram: { bounds: [1, n(5)] } }),
          customer_id: col({ distinctCount: n(0.7), distinctRatio: 0.14, histogram: { bounds: [1, n(1)] } }),
          amount: col({ distinctCount: n(3), distinctRatio: 0.6, mostCommon: { values: [9.99], frequencies: [0.1] }, histogram: { bounds: [0.5, 5, 12, 20, 35, 60, 110, 250 + skew * 2000, 4000] } }),
          status: col({ distinctCount: 3, distinctRatio: 3 / n(5), mostCommon: { values: ['delivered', 'shipped', 'lost'], frequencies: [0.8 - skew, 0.15 + skew, 0.05] } }),
        },
        foreignKeys: {
          orders_customer_fk: {
            columns: ['customer_id'],
            references: { table: 'public.customers', columns: ['id'] },
            fanout: [
              { children: '0', parents: n(0.3) },
              { children: '1', parents: n(0.3 + skew) },
              { children: '2-3', parents: n(0.3 - skew) },
              { children: '64-127', parents: n(0.1) },
            ],
          },
        },
      },
    },
  };
}

/** Width, height and the share of non-white pixels of an 8-bit RGB(A) PNG. */
function pngStats(png: Buffer): { width: number; height: number; inked: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const bitDepth = png[24]!;
  const colorType = png[25]!;
  expect(bitDepth).toBe(8);
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  expect(channels, `PNG colour type ${colorType}`).toBeGreaterThan(0);
  const chunks: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * channels;
  let inked = 0;
  let previous = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? line[i - channels]! : 0;
      const up = previous[i]!;
      const upLeft = i >= channels ? previous[i - channels]! : 0;
      const p = left + up - upLeft;
      const paeth = Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft) ? left : Math.abs(p - up) <= Math.abs(p - upLeft) ? up : upLeft;
      const add = [0, left, up, (left + up) >> 1, paeth][filter]!;
      line[i] = (line[i]! + add) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = x * channels;
      if (line[o]! < 235 || line[o + 1]! < 235 || line[o + 2]! < 235) inked++;
    }
    previous = line;
  }
  return { width, height, inked: inked / (width * height) };
}

const run = promisify(execFile);

function chromiumArgs(profileDir: string): string[] {
  return [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profileDir}`,
  ];
}

describe.skipIf(skipBrowser)('understudy fidelity --html renders in headless Chromium', () => {
  let dir: string;
  let html: string;
  let report: FidelityReport;

  beforeAll(async () => {
    await access(CHROMIUM).catch(() => {
      throw new Error(
        `${CHROMIUM} not found: the fidelity HTML report is tested in headless Chromium. Install it with \`apt-get install chromium\` (Debian), or set UNDERSTUDY_SKIP_BROWSER=1 to skip this test.`,
      );
    });
    dir = await mkdtemp(join(tmpdir(), 'understudy-fidelity-html-'));
    await writeFile(join(dir, 'source.json'), JSON.stringify(shopProfile(0, 10_000)));
    await writeFile(join(dir, 'target.json'), JSON.stringify(shopProfile(0.1, 1000)));
    html = join(dir, 'report.html');
    const result = await runCli(['fidelity', '--profile', join(dir, 'source.json'), '--target-profile', join(dir, 'target.json'), '--scale', '0.1', '--html', html, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`wrote ${html}`);
    report = JSON.parse(result.stdout) as FidelityReport;
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is one self-contained file: no script, stylesheet, font or image is fetched', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    // The only URL is the SVG namespace, which is a name, not a request.
    expect(text.match(/https?:\/\/[^\s"'<>]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
    // A profile value with markup is escaped, not interpreted.
    expect(text).toContain('&lt;b&gt;XX&lt;/b&gt;');
  });

  it('renders the overall score and a source and a target chart per figure (the DOM Chromium built)', async () => {
    const { stdout: dom } = await run(CHROMIUM, [...chromiumArgs(join(dir, 'chromium-dom')), '--dump-dom', pathToFileURL(html).href], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    expect(report.overall).not.toBeNull();
    expect(dom).toContain(`id="overall">${report.overall!.toFixed(3)}<`);
    const figures = dom.match(/<figure class="chart"/g)?.length ?? 0;
    const scoredColumns = Object.values(report.tables)
      .flatMap((t) => Object.values(t.columns))
      .filter((c) => c.score !== null);
    // Every column with a value-distribution metric (ks/tvd) has a chart, plus lengths and fan-out charts.
    const distributionColumns = scoredColumns.filter((c) => c.metrics.some((m) => m.metric === 'ks' || m.metric === 'tvd')).length;
    expect(distributionColumns).toBeGreaterThanOrEqual(4);
    expect(figures).toBeGreaterThanOrEqual(distributionColumns + 1);
    // Numbers and dates add one plot of both CDFs, with the KS gap marked.
    const numeric = dom.match(/<figure class="chart" data-kind="numeric"/g)?.length ?? 0;
    expect(numeric).toBe(2);
    expect(dom.match(/<svg /g)?.length).toBe(figures * 2 + numeric);
    expect(dom.match(/<polyline /g)?.length).toBe(numeric * 2);
    // The target's amounts and dates are shifted: both plots mark where the CDFs are furthest apart.
    expect(dom.match(/class="gap"/g)?.length).toBe(2);
    expect(dom).toMatch(/largest gap 0\.\d{3} at /);
    expect(dom.match(/<rect /g)?.length ?? 0).toBeGreaterThan(figures * 4);
    // Worst column first: the first column section is the lowest score.
    const firstColumn = /<section class="column" id="col-([^"]+)"/.exec(dom)?.[1];
    const worst = Object.entries(report.tables)
      .flatMap(([t, table]) => Object.entries(table.columns).map(([c, column]) => [`${t}.${c}`, column.score ?? 2] as const))
      .sort((a, b) => a[1] - b[1])[0]![0];
    expect(firstColumn).toBe(worst);
  });

  it('renders a non-blank screenshot', async () => {
    const png = join(dir, 'report.png');
    await run(CHROMIUM, [...chromiumArgs(join(dir, 'chromium-shot')), `--screenshot=${png}`, '--window-size=1280,2000', '--hide-scrollbars', pathToFileURL(html).href], { timeout: 60_000 });
    const stats = pngStats(await readFile(png));
    expect({ width: stats.width, height: stats.height }).toEqual({ width: 1280, height: 2000 });
    // Text and bars ink a good part of the page; a blank or error page would not.
    expect(stats.inked).toBeGreaterThan(0.03);
  });
});
