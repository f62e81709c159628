/**
 * PostgreSQL statements that act on the whole server (the cluster) rather than on
 * the database they run in: databases, roles, tablespaces, the server's
 * configuration, role membership, privileges on databases and parameters,
 * subscriptions, and `REASSIGN`/`DROP OWNED` (which reach shared objects). A
 * rehearsal on a `--url` server never runs them: there they would create, change or
 * drop real databases and roles next to the throwaway one.
 *
 * Only the statement's leading words are read (comments skipped, case ignored).
 *
 * @example
 * ```ts
 * postgresServerStatement('DROP DATABASE IF EXISTS other_db');   // { effect: 'drops database other_db' }
 * postgresServerStatement('CREATE ROLE app LOGIN');               // { effect: 'creates role app', creates: 'app' }
 * postgresServerStatement('GRANT SELECT ON orders TO app');       // undefined (a privilege on a table of this database)
 * postgresServerStatement('GRANT readers TO app');                // { effect: 'grants membership in role readers' }
 * ```
 */
import type { ServerStatement } from '@understudy/core';

interface Word {
  /** Upper-cased for a bare word, as written for a quoted identifier. */
  readonly value: string;
  readonly quoted: boolean;
}

/** Words and quoted identifiers up to the first string, dollar quote or `;`, comments skipped; `(`, `)` and `,` as words. */
function words(text: string, limit = 200): Word[] {
  const out: Word[] = [];
  let i = 0;
  while (i < text.length && out.length < limit) {
    const ch = text[i]!;
    if (/\s/.test(ch)) i++;
    else if (text.startsWith('--', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('/*', i)) i = text.indexOf('*/', i) < 0 ? text.length : text.indexOf('*/', i) + 2;
    else if (ch === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && !(text[j] === '"' && text[j + 1] !== '"')) {
        value += text[j] === '"' ? '"' : text[j];
        j += text[j] === '"' ? 2 : 1;
      }
      out.push({ value, quoted: true });
      i = j + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(ch)) {
      const m = /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(text.slice(i, i + 200))!;
      out.push({ value: m[0].toUpperCase(), quoted: false });
      i += m[0].length;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ value: ch, quoted: false });
      i++;
    } else if (ch === "'" || ch === '$' || ch === ';') break;
    else i++;
  }
  return out;
}

const is = (w: Word | undefined, ...values: string[]): boolean => w !== undefined && !w.quoted && values.includes(w.value);
/** An identifier as the server folds it: quoted as written, bare in lower case. */
const name = (w: Word | undefined): string => (w === undefined ? '?' : w.quoted ? w.value : w.value.toLowerCase());

/** The name after `IF [NOT] EXISTS`, if any, starting at `at`. */
function nameAt(list: readonly Word[], at: number): string {
  let i = at;
  if (is(list[i], 'IF')) i += is(list[i + 1], 'NOT') ? 3 : 2;
  return name(list[i]);
}

const VERB = { CREATE: 'creates', ALTER: 'alters', DROP: 'drops' } as const;

/**
 * What a statement would do to the server beyond its database, or undefined when it stays in it.
 * See the file comment for the rules.
 */
export function postgresServerStatement(text: string): ServerStatement | undefined {
  const w = words(text);
  const [a, b, c] = w;
  if (is(a, 'CREATE', 'ALTER', 'DROP')) {
    const verb = VERB[a!.value as keyof typeof VERB];
    if (is(b, 'DATABASE')) return { effect: `${verb} database ${nameAt(w, 2)}` };
    if (is(b, 'TABLESPACE')) return { effect: `${verb} tablespace ${nameAt(w, 2)}` };
    if (is(b, 'SUBSCRIPTION')) return { effect: `${verb} subscription ${nameAt(w, 2)} (replication from another server)` };
    if (is(b, 'ROLE', 'USER', 'GROUP') && !is(c, 'MAPPING')) {
      const role = nameAt(w, 2);
      return a!.value === 'CREATE' ? { effect: `creates role ${role}`, creates: role } : { effect: `${verb} role ${role}` };
    }
  }
  if (is(a, 'ALTER') && is(b, 'SYSTEM')) return { effect: "changes the server's configuration (ALTER SYSTEM)" };
  if (is(a, 'REASSIGN', 'DROP') && is(b, 'OWNED')) return { effect: `${a!.value === 'DROP' ? 'drops' : 'reassigns'} what roles own, databases and tablespaces included` };
  if (is(a, 'COMMENT') && is(b, 'ON') && is(c, 'DATABASE', 'ROLE', 'TABLESPACE')) return { effect: `comments on ${c!.value.toLowerCase()} ${name(w[3])}` };
  if (is(a, 'SECURITY') && is(b, 'LABEL')) {
    const on = w.findIndex((x) => is(x, 'ON'));
    if (on > 0 && is(w[on + 1], 'DATABASE', 'ROLE', 'TABLESPACE')) return { effect: `labels ${w[on + 1]!.value.toLowerCase()} ${name(w[on + 2])}` };
  }
  if (is(a, 'GRANT', 'REVOKE')) {
    // Privileges ON an object; without ON it is membership in a role.
    let depth = 0;
    const on = w.findIndex((x) => {
      if (x.value === '(' && !x.quoted) depth++;
      if (x.value === ')' && !x.quoted) depth--;
      return depth === 0 && is(x, 'ON', 'TO', 'FROM');
    });
    if (on < 0 || !is(w[on], 'ON')) return { effect: `${a!.value === 'GRANT' ? 'grants' : 'revokes'} membership in a role` };
    if (is(w[on + 1], 'DATABASE', 'TABLESPACE', 'PARAMETER')) return { effect: `${a!.value === 'GRANT' ? 'grants' : 'revokes'} privileges on ${w[on + 1]!.value.toLowerCase()} ${name(w[on + 2])}` };
  }
  return undefined;
}
