import { beforeAll, describe, expect, it } from 'vitest';
import { loadPiiDictionaries, type PiiDictionaries } from '../pii/dictionaries.js';
import { parseScrubPolicy, serializeScrubPolicy } from '../scrub-policy.js';
import { col, fk, schemaOf, tableOf } from '@understudy/test-helpers';
import { scanSamples, type TableSample } from './scan-columns.js';
import { formatScanReport, policyFromScan } from './scan-output.js';

let dictionaries: PiiDictionaries;
beforeAll(async () => {
  dictionaries = await loadPiiDictionaries();
});

const repeat = (values: readonly string[], n: number): string[] => Array.from({ length: n }, (_, i) => values[i % values.length]!);
const sample = (columns: Record<string, readonly (string | null)[]>): TableSample => ({
  rows: Object.values(columns)[0]?.length ?? 0,
  method: 'test',
  values: new Map(Object.entries(columns)),
});

const schema = schemaOf({
  'public.clients': tableOf('public', 'clients', [col('code', 'char', { length: 5 }), col('contact', 'varchar', { length: 80 })], { primaryKey: ['code'] }),
  'public.orders': tableOf('public', 'orders', [col('id', 'integer'), col('client_code', 'char', { length: 5 }), col('sku', 'varchar', { length: 12 }), col('status', 'varchar', { length: 12 })], {
    primaryKey: ['id'],
    foreignKeys: [fk('orders_client_fk', ['client_code'], 'public.clients', ['code'])],
  }),
});
const codes = ['ALFKI', 'SAVEA', 'ERNSH', 'QUICK', 'HANAR', 'RICSU'];
const samples = new Map([
  ['public.clients', sample({ code: repeat(codes, 60), contact: repeat(['Maria Garcia', 'John Smith', 'Ana Lima'], 60) })],
  ['public.orders', sample({ id: repeat(['1', '2', '3'], 60), client_code: repeat(codes, 60), sku: repeat(['PRD-00001', 'PRD-00002', 'PRD-00003'], 60), status: repeat(['paid', 'open'], 60) })],
]);

describe('scanSamples', () => {
  it('hashes the codes of a table of people and the foreign keys to them, keeps the codes of things', () => {
    const report = scanSamples(schema, samples, { dictionaries, sample: 60 });
    const byName = new Map(report.tables.flatMap((t) => t.columns.map((c) => [`${t.table}.${c.column}`, c] as const)));
    expect(byName.get('public.clients.contact')!.transform).toBe('fake:person-name');
    expect(byName.get('public.clients.code')!.transform).toBe('hash');
    expect(byName.get('public.orders.client_code')!.transform).toBe('hash');
    expect(byName.get('public.orders.sku')!.transform).toBe('keep');
    expect(byName.get('public.orders.sku')!.reason).toMatch(/codes, but not of a table of people: kept/);
    expect(byName.get('public.orders.status')!.transform).toBe('keep');
    expect(report.summary).toMatchObject({ tables: 2, columns: 6, transformed: 3 });
  });

  it("takes a declared reference's codes for its parent's, not for a person's own account (hatchet's parentStepRunId)", () => {
    const uuids = Array.from({ length: 60 }, (_, i) => `${(1000 + i).toString(16).padStart(8, '0')}-1b4c-4b4a-a43f-37c9042b0b35`);
    const runs = schemaOf({
      'public.StepRun': tableOf('public', 'StepRun', [col('id', 'uuid')], { primaryKey: ['id'] }),
      'public.WorkflowRun': tableOf('public', 'WorkflowRun', [col('id', 'uuid'), col('displayName', 'text'), col('parentStepRunId', 'uuid')], {
        primaryKey: ['id'],
        uniques: [{ name: 'run_parent_key', columns: ['parentStepRunId', 'id'], origin: 'constraint' }],
        foreignKeys: [fk('run_parent_fk', ['parentStepRunId'], 'public.StepRun', ['id'])],
      }),
    });
    const report = scanSamples(
      runs,
      new Map([
        ['public.StepRun', sample({ id: uuids })],
        ['public.WorkflowRun', sample({ id: uuids, displayName: repeat(['Maria Garcia', 'John Smith', 'Ana Lima'], 60), parentStepRunId: uuids })],
      ]),
      { dictionaries, sample: 60 },
    );
    const byName = new Map(report.tables.flatMap((t) => t.columns.map((c) => [`${t.table}.${c.column}`, c] as const)));
    expect(byName.get('public.WorkflowRun.displayName')!.transform).toBe('fake:person-name');
    expect(byName.get('public.StepRun.id')!.transform).toBe('keep');
    expect(byName.get('public.WorkflowRun.parentStepRunId')!.transform).toBe('keep');
  });

  it('writes a policy that parses back, and neither the listing nor the policy holds a value', () => {
    const report = scanSamples(schema, samples, { dictionaries, sample: 60 });
    const text = serializeScrubPolicy(policyFromScan(report));
    expect(parseScrubPolicy(text, 'p.json').tables['public.clients']!.columns['contact']!.transform).toBe('fake:person-name');
    for (const out of [text, formatScanReport(report), JSON.stringify(report)]) {
      for (const value of [...codes, 'Maria Garcia', 'PRD-00001']) expect(out).not.toContain(value);
    }
  });
});

describe('parseScrubPolicy', () => {
  it('names the file, table, column and field of a bad rule', () => {
    const bad = (tables: unknown) => () => parseScrubPolicy(JSON.stringify({ version: 1, tables }), 'p.json');
    expect(bad({ 'public.t': { columns: { a: { transform: 'fake:dragon' } } } })).toThrow(/p\.json: table public\.t, column a, field transform/);
    expect(bad({ 'public.t': { columns: { a: { transform: 'json' } } } })).toThrow(/table public\.t, column a, field paths: transform "json" needs "paths"/);
    expect(bad({ 'public.t': { columns: { a: { transform: 'keep', paths: { '$.x': 'redact' } } } } })).toThrow(/"paths" only applies to transform "json"/);
    expect(() => parseScrubPolicy('{"version":2,"tables":{}}', 'p.json')).toThrow(/version 2, newer than this Understudy understands/);
    expect(() => parseScrubPolicy('not json', 'p.json')).toThrow(/p\.json is not valid JSON/);
  });
});
