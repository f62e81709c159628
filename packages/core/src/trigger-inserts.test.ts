import { describe, expect, it } from 'vitest';
import { triggerCopies, triggerInserts } from './trigger-inserts.js';

const known = new Set(['sakila.film_text', 'sakila.audit_log', 'audit.events', 'public.Mixed Case']);

describe('triggerInserts', () => {
  it('finds the tables a trigger body inserts into, qualified or not, quoted or not', () => {
    expect(triggerInserts('BEGIN\n  INSERT INTO film_text (film_id, title) VALUES (new.film_id, new.title);\nEND', 'sakila', known)).toEqual(['sakila.film_text']);
    expect(triggerInserts('insert ignore into `audit_log` values (1); INSERT INTO audit.events SELECT 1', 'sakila', known)).toEqual(['audit.events', 'sakila.audit_log']);
    expect(triggerInserts('BEGIN INSERT INTO "Mixed Case"(a) VALUES (NEW.a); RETURN NEW; END', 'public', known)).toEqual(['public.Mixed Case']);
  });

  it('ignores updates, deletes and tables the schema does not know', () => {
    expect(triggerInserts('UPDATE film_text SET title = new.title; DELETE FROM audit_log', 'sakila', known)).toEqual([]);
    expect(triggerInserts('INSERT INTO somewhere_else VALUES (1)', 'sakila', known)).toEqual([]);
  });
});

describe('triggerCopies', () => {
  const keys = new Set(['public.keys', 'public.audit']);
  it('finds NEW.<column> copied as is into a column of another table, through VALUES or SELECT', () => {
    const chef = `BEGIN
    IF NEW.public_key != 'this_is_not_a_key' AND NEW.public_key IS NOT NULL THEN
      INSERT INTO keys
        (id, key_name, public_key, key_version, created_at,  expires_at) VALUES
          (NEW.id, 'default', NEW.public_key, NEW.pubkey_version, now(), 'infinity'::timestamp);
      END IF;
    RETURN NULL;
  END;`;
    expect(triggerCopies(chef, 'public', keys)).toEqual([
      { column: 'id', table: 'public.keys', targetColumn: 'id' },
      { column: 'public_key', table: 'public.keys', targetColumn: 'public_key' },
      { column: 'pubkey_version', table: 'public.keys', targetColumn: 'key_version' },
    ]);
    expect(triggerCopies('INSERT INTO keys (id, key_name) SELECT NEW.id, lower(NEW.name) WHERE NOT EXISTS (SELECT 1)', 'public', keys)).toEqual([
      { column: 'id', table: 'public.keys', targetColumn: 'id' },
    ]);
  });

  it('sees through casts: an enum copied as text into another enum (hatchet), CAST(… AS …), a typed varchar', () => {
    const hatchet = `INSERT INTO audit (workflow_id, strategy, expression, max_runs)
      SELECT wf."id", NEW."limitStrategy"::VARCHAR::v1_concurrency_strategy, NEW."expr"::character varying(255), CAST(NEW.max_runs AS integer)
      FROM "Workflow" wf WHERE wf."id" = NEW."workflowId"`;
    expect(triggerCopies(hatchet, 'public', keys)).toEqual([
      { column: 'limitStrategy', table: 'public.audit', targetColumn: 'strategy' },
      { column: 'expr', table: 'public.audit', targetColumn: 'expression' },
      { column: 'max_runs', table: 'public.audit', targetColumn: 'max_runs' },
    ]);
    expect(triggerCopies("INSERT INTO audit (who) VALUES (NEW.a::text || 'x')", 'public', keys)).toEqual([]);
  });

  it('ignores computed values, lists of another length and unknown tables', () => {
    expect(triggerCopies("INSERT INTO audit (who, what) VALUES (concat(NEW.a, 'x'), 1)", 'public', keys)).toEqual([]);
    expect(triggerCopies('INSERT INTO audit (who) VALUES (NEW.a, NEW.b)', 'public', keys)).toEqual([]);
    expect(triggerCopies('INSERT INTO elsewhere (who) VALUES (NEW.a)', 'public', keys)).toEqual([]);
  });
});
