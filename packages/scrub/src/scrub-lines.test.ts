import { builtInDictionaries, type ScrubPolicy } from '@understudy/core';
import { col, schemaOf, tableOf } from '@understudy/test-helpers';
import { describe, expect, it } from 'vitest';
import { planScrub } from './scrub-plan.js';
import { ScrubKey } from './scrub-key.js';
import { createLineRewriter } from './scrub-lines.js';

const key = new ScrubKey(Buffer.from('a test key that is long enough'));
// A field codec of the TSV-with-escapes kind the line path reads (what a dialect's reader names in `rawFormat.fieldCodec`).
const ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n' };
const UNESC: Record<string, string> = { '\\': '\\', t: '\t', n: '\n' };
const parseField = (f: string): string | null => (f === '\\N' ? null : f.replace(/\\(.)/g, (_, c: string) => UNESC[c] ?? c));
const formatField = (v: string | null): string => (v === null ? '\\N' : v.replace(/[\\\t\n]/g, (c) => ESC[c]!));
const codec = { parseField, formatField };

const schema = schemaOf({
  'public.people': tableOf(
    'public',
    'people',
    [
      col('id', 'integer'),
      col('name', 'text', { nullable: true }),
      col('tags', 'text', { nullable: true, arrayDimensions: 1 } as never),
      col('born', 'date', { nullable: true }),
      col('note', 'text', { nullable: true }),
      col('kept', 'text', { nullable: true }),
    ],
    { primaryKey: ['id'] },
  ),
  'public.log': tableOf('public', 'log', [col('at', 'date', { nullable: true }), col('what', 'text', { nullable: true })]),
});
const rules = (cols: Record<string, string>) => ({ columns: Object.fromEntries(Object.entries(cols).map(([c, t]) => [c, { transform: t }])) }) as ScrubPolicy['tables'][string];
const policy: ScrubPolicy = {
  version: 1,
  tables: {
    'public.people': rules({ id: 'hash', name: 'fake:person-name', tags: 'keep', born: 'shift-date', note: 'text', kept: 'keep' }),
    'public.log': rules({ at: 'shift-date', what: 'keep' }),
  },
};

/** The COPY text of rows, as the encoder would write them. */
const copyText = (rows: (string | null)[][]): string => rows.map((r) => r.map(formatField).join('\t')).join('\n') + '\n';

describe('createLineRewriter', () => {
  const plan = planScrub(schema, policy, { key, dictionaries: builtInDictionaries() });
  const rows: (string | null)[][] = [
    ['1', 'Ann Berg', '{a,"b c"}', '1980-02-03', 'Call Ann\tat ann@corp.com\nthen\\again', 'x\ty'],
    ['2', null, null, null, null, null],
    ['3', 'Bo', '{}', '2001-12-31', '', ''],
  ];

  it('rewrites raw COPY rows exactly as transformRow does, untouched fields byte for byte', () => {
    for (const t of plan.tables) {
      const sample =
        t.table === 'public.log'
          ? [
              ['2020-01-01', 'a\\b'],
              [null, 'z'],
              ['1999-09-09', null],
            ]
          : rows;
      const rewrite = createLineRewriter(t, codec);
      expect(rewrite(copyText(sample)), t.table).toBe(copyText(sample.map((r) => t.transformRow(r))));
    }
  });

  it('leaves a table with nothing to change as it is', () => {
    const plain = planScrub(
      schema,
      { version: 1, tables: { 'public.people': rules({ id: 'keep', name: 'keep', tags: 'keep', born: 'keep', note: 'keep', kept: 'keep' }), 'public.log': rules({ at: 'keep', what: 'keep' }) } },
      { key, dictionaries: builtInDictionaries() },
    );
    const t = plain.tables.find((x) => x.table === 'public.people')!;
    expect(t.transformed).toBe(false);
    expect(createLineRewriter(t, codec)(copyText(rows))).toBe(copyText(rows));
  });
});
