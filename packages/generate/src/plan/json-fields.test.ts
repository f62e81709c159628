import { describe, expect, it } from 'vitest';
import type { ColumnShape } from './column-shape.js';
import { jsonFieldsFor } from './json-fields.js';

const shape = (kind: ColumnShape['kind'], extra: Partial<ColumnShape> = {}): ColumnShape => ({ name: 'c', kind, rawType: kind, arrayDimensions: 0, nullable: false, ...extra });

describe('jsonFieldsFor', () => {
  it("reads kestra's generated columns as PostgreSQL prints them: casts, parsing functions, enum and varchar columns", () => {
    const fields = jsonFieldsFor('value', [
      { name: 'deleted', expression: "((value ->> 'deleted'::text))::boolean", shape: shape('boolean') },
      { name: 'namespace', expression: "(value ->> 'namespace'::text)", shape: shape('varchar', { length: 150 }) },
      { name: 'state_current', expression: "state_fromtext((value #>> '{state,current}'::text[]))", shape: shape('enum', { values: ['CREATED', 'RUNNING'] }) },
      { name: 'state_duration', expression: "EXTRACT(milliseconds FROM parse_iso8601_duration((value #>> '{state,duration}'::text[])))", shape: shape('bigint') },
      { name: 'start_date', expression: "parse_iso8601_datetime((value #>> '{state,startDate}'::text[]))", shape: shape('timestamp') },
      { name: 'revision', expression: "((value ->> 'revision'::text))::integer", shape: shape('integer') },
      { name: 'task', expression: "((value -> 'taskRun'::text) ->> 'id'::text)", shape: shape('varchar', { length: 36 }) },
      {
        name: 'fulltext',
        expression: "(fulltext_index((((value ->> 'namespace'::text))::character varying)::text) || fulltext_index((((value ->> 'flowId'::text))::character varying)::text))",
        shape: shape('tsvector'),
      },
    ]);
    expect(fields).toEqual([
      { path: ['deleted'], type: 'boolean' },
      { path: ['namespace'], type: 'text', maxLength: 150 },
      { path: ['state', 'current'], type: 'enum', values: ['CREATED', 'RUNNING'] },
      { path: ['state', 'duration'], type: 'interval' },
      { path: ['state', 'startDate'], type: 'timestamp' },
      { path: ['revision'], type: 'integer' },
      { path: ['taskRun', 'id'], type: 'text', maxLength: 36 },
      { path: ['flowId'], type: 'text' },
    ]);
  });

  it('reads CAST(… AS …) as written, and ignores other columns and expressions without a path', () => {
    expect(jsonFieldsFor('value', [{ name: 'n', expression: "CAST(value ->> 'port' AS INTEGER)", shape: shape('integer') }])).toEqual([{ path: ['port'], type: 'integer' }]);
    expect(jsonFieldsFor('value', [{ name: 'n', expression: "(other ->> 'port'::text)", shape: shape('text') }])).toEqual([]);
    // temporal's visibility: a cast to varchar passed on to a function; the column's type decides.
    expect(jsonFieldsFor('search_attributes', [{ name: 'd', expression: "convert_ts(((search_attributes ->> 'Datetime01'::text))::character varying)", shape: shape('timestamp') }])).toEqual([
      { path: ['Datetime01'], type: 'timestamp' },
    ]);
    expect(jsonFieldsFor('value', [{ name: 'n', expression: 'lower(value)', shape: shape('text') }])).toEqual([]);
  });
});
