import { describe, expect, it } from 'vitest';
import { triggerInserts } from './trigger-inserts.js';

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
