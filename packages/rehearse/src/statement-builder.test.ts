import { describe, expect, it } from 'vitest';
import { buildStatements } from './statement-builder.js';

describe('buildStatements', () => {
  it('offsets lines by the first line of the section and keeps the file', () => {
    const problems: string[] = [];
    const statements = buildStatements('\nSELECT 1;\n\nSELECT 2;', { file: 'a.sql', flavor: 'postgres', firstLine: 10, problems });
    expect(statements.map((s) => [s.file, s.line, s.text])).toEqual([
      ['a.sql', 11, 'SELECT 1'],
      ['a.sql', 13, 'SELECT 2'],
    ]);
  });

  it('attaches COPY rows to their COPY and reports psql meta-commands', () => {
    const problems: string[] = [];
    const statements = buildStatements('\\set ON_ERROR_STOP on\nCOPY t (a) FROM stdin;\n1\n2\n\\.\nSELECT 1;', {
      file: 'seed.sql',
      flavor: 'postgres',
      firstLine: 1,
      problems,
    });
    expect(statements.map((s) => [s.line, s.kind, s.copyData])).toEqual([
      [2, 'dml', '1\n2\n'],
      [6, 'other', undefined],
    ]);
    expect(problems).toEqual(['seed.sql:1: psql meta-command "\\set ON_ERROR_STOP on" is not SQL and is skipped']);
  });
});
