import { UsageError } from '@understudy/core';
import { describe, expect, it } from 'vitest';
import { Templates } from './placeholders.js';

const source = (syntaxes: Parameters<Templates['fill']>[1]['syntaxes']) => ({ file: 'm.sql', firstLine: 10, syntaxes });

describe('Templates', () => {
  it('fills Go template values, ${name} and %NAME% with --define values', () => {
    const t = new Templates({ Namespace: 'auth', schema: 'app', TABLE_PREFIX: 'ost_' });
    expect(t.fill('CREATE TABLE {{ index .Options "Namespace" }}.users (); SELECT {{.Namespace}};', source(['go-template']))).toBe('CREATE TABLE auth.users (); SELECT auth;');
    expect(t.fill('GRANT USAGE ON SCHEMA ${schema} TO x;', source(['dollar-brace']))).toBe('GRANT USAGE ON SCHEMA app TO x;');
    expect(t.fill('ALTER TABLE `%TABLE_PREFIX%ticket` ADD x int;', source(['percent']))).toBe('ALTER TABLE `ost_ticket` ADD x int;');
    expect(() => t.check()).not.toThrow();
    expect(t.unused()).toEqual([]);
  });

  it('leaves %…% inside strings, comments and dollar quotes alone (a LIKE pattern, a format)', () => {
    const t = new Templates();
    const text = "SELECT * FROM t WHERE a LIKE '%ABC%'; -- %NOTE%\nDO $$ BEGIN RAISE NOTICE '%', 1; PERFORM '%X%'; END $$;";
    expect(t.fill(text, source(['percent']))).toBe(text);
    expect(() => t.check()).not.toThrow();
  });

  it('does not treat {{…}} as a template for a tool that does not render one', () => {
    const t = new Templates();
    const text = "UPDATE n SET body = 'Hi {{.UserName}}';";
    expect(t.fill(text, source(['percent']))).toBe(text);
    expect(() => t.check()).not.toThrow();
  });

  it('names every placeholder without a value, its first file:line, and the --define to pass', () => {
    const t = new Templates();
    t.fill('SELECT 1;\nSELECT ${a};\nSELECT ${a}, %B%;', source(['dollar-brace', 'percent']));
    const error = (() => {
      try {
        t.check();
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('expected a UsageError');
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('2 template placeholders have no value: ${a} at m.sql:11, %B% at m.sql:12');
    expect(error.hint).toBe('Pass --define a=VALUE --define B=VALUE (the value your migration tool fills in).');
  });

  it('refuses Go template logic it does not evaluate', () => {
    const t = new Templates({ x: '1' });
    t.fill('{{ if .IsPostgreSQL }}SELECT 1;{{ end }}', source(['go-template']));
    expect(() => t.check()).toThrow(/m\.sql:10 uses the template action \{\{ if \.IsPostgreSQL \}\}, which Understudy does not evaluate/);
    expect(t.unused()).toEqual(['x']);
  });
});
