/**
 * `understudy fidelity` as a user runs it, on saved profiles (no server): the
 * summary, `--json`, exit 1 below `--min-score` (saying by how much), and exit 2
 * for every usage mistake, each naming the flag or file. Also a target URL that
 * cannot be reached exits 3.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FidelityReport, Profile, ProfileColumn } from '@understudy/core';
import { runCli } from '../run-cli.js';

function col(over: Partial<ProfileColumn>): ProfileColumn {
  return { nullFraction: 0, distinctCount: null, distinctRatio: null, personal: false, kept: [], dropped: [], reason: 'test', ...over };
}

function profile(status: { values: string[]; frequencies: number[] }, nulls: number, rows: number): Profile {
  return {
    version: 1,
    dialect: 'mysql',
    takenAt: '2026-11-22T06:00:00.000Z',
    k: 10,
    scanned: true,
    ranAnalyze: true,
    notes: [],
    tables: {
      'shop.accounts': {
        rowEstimate: rows,
        analysed: true,
        foreignKeys: {},
        columns: {
          status: col({ distinctCount: status.values.length, mostCommon: status }),
          closed_at: col({ nullFraction: nulls, distinctCount: rows * (1 - nulls), histogram: { bounds: ['2024-01-01', '2024-06-01', '2025-01-01'] } }),
        },
      },
    },
  };
}

describe('understudy fidelity on saved profiles', () => {
  let dir: string;
  let source: string;
  let close: string;
  let far: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'understudy-fidelity-cli-'));
    source = join(dir, 'source.json');
    close = join(dir, 'close.json');
    far = join(dir, 'far.json');
    await writeFile(source, JSON.stringify(profile({ values: ['active', 'closed'], frequencies: [0.8, 0.2] }, 0.8, 10_000)));
    await writeFile(close, JSON.stringify(profile({ values: ['active', 'closed'], frequencies: [0.78, 0.22] }, 0.79, 1000)));
    // Categories swapped, NULLs off by 0.5.
    await writeFile(far, JSON.stringify(profile({ values: ['active', 'closed'], frequencies: [0.2, 0.8] }, 0.3, 1000)));
    await writeFile(join(dir, 'not-json.json'), '{ nope');
    await writeFile(join(dir, 'not-profile.json'), JSON.stringify({ version: 1, tables: 3 }));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the overall score, the tables and the worst columns, and passes --min-score when close', async () => {
    const result = await runCli(['fidelity', '--profile', source, '--target-profile', close, '--scale', '0.1', '--min-score', '0.9']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^fidelity 0\.9\d\d \(scale 0\.1\)/);
    expect(result.stdout).toContain('shop.accounts');
    expect(result.stdout).toContain('worst columns (2 of 2):');
    expect(result.stdout).toMatch(/\n {2}0\.\d{3} {2}shop\.accounts\.status +tvd 0\.980 \(total variation 0\.02 over 2 categories\)/);
  });

  it('exits 1 below --min-score, saying by how much and naming the worst columns', async () => {
    const result = await runCli(['fidelity', '--profile', source, '--target-profile', far, '--scale', '0.1', '--min-score', '0.9', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as FidelityReport;
    const status = report.tables['shop.accounts']!.columns['status']!;
    expect(status.metrics.find((m) => m.metric === 'tvd')?.score).toBeCloseTo(0.4, 4);
    expect(report.tables['shop.accounts']!.columns['closed_at']!.metrics.find((m) => m.metric === 'nulls')?.score).toBeCloseTo(0.5, 4);
    expect(result.stderr).toContain(`fidelity ${report.overall!.toFixed(3)} is below --min-score 0.9 (short by ${(0.9 - report.overall!).toFixed(3)})`);
    expect(result.stderr).toMatch(/Worst columns: shop\.accounts\.\w+ 0\.\d{3}/);
  });

  it('exits 2 for usage mistakes, naming the flag or file', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['fidelity', '--target-profile', close], /fidelity needs --profile/],
      [['fidelity', '--profile', source], /exactly one target: --url .* or --target-profile/],
      [['fidelity', '--profile', source, '--target-profile', close, '--url', 'postgres://x@127.0.0.1:1/db'], /exactly one target/],
      [['fidelity', '--profile', source, '--target-profile', close, '--min-score', '90'], /--min-score must be a score between 0 and 1, e\.g\. 0\.9 \(got "90"\)/],
      [['fidelity', '--profile', source, '--target-profile', close, '--scale', 'tenth'], /--scale must be a positive number/],
      [['fidelity', '--profile', join(dir, 'missing.json'), '--target-profile', close], /--profile .*missing\.json: no such file/],
      [['fidelity', '--profile', source, '--target-profile', join(dir, 'not-json.json')], /--target-profile .*not-json\.json is not valid JSON/],
      [['fidelity', '--profile', join(dir, 'not-profile.json'), '--target-profile', close], /--profile .*not-profile\.json is not a valid profile at /],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args);
      expect(result.stderr, args.join(' ')).toMatch(message);
      expect(result.code, args.join(' ')).toBe(2);
    }
  });

  it('exits 3 when the target server cannot be reached', async () => {
    const result = await runCli(['fidelity', '--profile', source, '--url', 'postgres://nobody@127.0.0.1:1/db']);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/127\.0\.0\.1:1/);
  });
});
