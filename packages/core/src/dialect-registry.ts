/**
 * The one registry of dialects: each one's name (what a saved Schema, Profile, Plan or
 * Report records), display name, aliases (what users and migration tools write),
 * URL schemes, and the static facts shared code asks about a saved `dialect` field
 * without loading the dialect's package (its drivers): capabilities and SQL syntax.
 *
 * This file and the dialect packages are the only places that spell an engine's name
 * (`scripts/check-boundary.mjs` enforces it). Everything engine-specific that needs a
 * driver (connecting, loading, lock tracing, the embedded engine) is a method of the
 * `Dialect` object in the dialect's own package, which takes these facts from here.
 *
 * @example
 * ```ts
 * dialectNameFor('pg');                         // 'postgres'
 * dialectInfo('mysql').displayName;             // 'MySQL/MariaDB'
 * dialectInfo(schema.dialect).syntax.stringEscapes; // 'backslash' on MySQL
 * ```
 */
import { UsageError } from './errors.js';

/** The names a saved file records, in the order the registry lists them. */
export const DIALECT_NAMES = ['postgres', 'mysql'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

/** What another session's ordinary statements wait for while a lock mode is held. */
export type LockEffect = 'nothing' | 'writes' | 'reads and writes';

export interface DialectCapabilities {
  /**
   * A load can switch FK checks off for its session and validate the FKs by query before
   * commit (MySQL `FOREIGN_KEY_CHECKS = 0`), so a cycle of NOT NULL foreign keys can be loaded.
   */
  readonly uncheckedForeignKeyLoad: boolean;
  /**
   * A load can disable a table's triggers and enable them again before commit, inside its
   * transaction (PostgreSQL `ALTER TABLE … DISABLE TRIGGER`); MySQL has no way to.
   */
  readonly disableTriggers: boolean;
  /**
   * A database holds several namespaces (PostgreSQL schemas); false where a "schema" is the
   * database, so the same tables in another database have other keys and rows are addressed
   * by bare table names.
   */
  readonly namespaces: boolean;
  /**
   * Timestamp types narrower than the 1000–9999 span every engine takes, by raw type
   * (MySQL's `TIMESTAMP` stops at 2038-01-19); dates as `YYYY-MM-DD`, both inclusive.
   */
  readonly timestampRanges: ReadonlyArray<{ readonly rawType: RegExp; readonly min: string; readonly max: string }>;
}

/** How the engine's SQL is written, as a script splitter and a CHECK reader must know it. */
export interface SqlSyntax {
  /** `backslash`: `\` escapes in every '…' and "…" string (MySQL); `e-prefix`: only in `E'…'` strings (PostgreSQL). */
  readonly stringEscapes: 'backslash' | 'e-prefix';
  /** `` `name` `` quotes identifiers. */
  readonly backtickIdentifiers: boolean;
  /** `# …` is a comment. */
  readonly hashComments: boolean;
  /** `/* /* … *\/ *\/` nests. */
  readonly nestedBlockComments: boolean;
  /** `/*!50003 … *\/` is code the server runs. */
  readonly versionedComments: boolean;
  /** `$$ … $$` and `$tag$ … $tag$` quote bodies. */
  readonly dollarQuotes: boolean;
  /** Lines starting with `\` are client meta-commands (psql's `\connect`). */
  readonly metaCommands: boolean;
  /** `DELIMITER //` lines change the statement terminator (the mysql client). */
  readonly delimiterCommand: boolean;
  /**
   * A stored routine's body (`CREATE PROCEDURE … BEGIN … END`) holds `;`s that do not end the statement
   * (MySQL compound statements, as migration runners that send a file at once write them, with no DELIMITER;
   * PostgreSQL 14+'s SQL-standard bodies, `BEGIN ATOMIC … END`, which psql keeps whole the same way).
   */
  readonly compoundRoutines: boolean;
  /** `COPY … FROM stdin;` is followed by data lines up to `\.`. */
  readonly copyFromStdin: boolean;
  /** Patterns only this engine's scripts use, for guessing which engine a script is for. */
  readonly markers: readonly RegExp[];
  /** Statements the engine refuses inside a transaction block (PostgreSQL's `CREATE INDEX CONCURRENTLY`, `VACUUM`, …). */
  readonly nonTransactional: readonly RegExp[];
  /**
   * How the server runs a file a tool sends as one multi-statement query: `implicit`, in one
   * implicit transaction (PostgreSQL; a lone statement in none), or `none`, statement by statement (MySQL).
   */
  readonly multiStatementQuery: 'implicit' | 'none';
}

export interface DialectInfo {
  readonly name: DialectName;
  /** What messages call it: `PostgreSQL`, `MySQL/MariaDB`. */
  readonly displayName: string;
  /** Other names users and migration tools write for it (`pg`, `postgresql`, `mariadb`, …), lower case. */
  readonly aliases: readonly string[];
  /** URL schemes this dialect opens: `postgres`, `postgresql`, `pglite`, `mysql`, `mariadb`. */
  readonly urlSchemes: readonly string[];
  /** A URL to show in hints (`--url …`). */
  readonly exampleUrl: string;
  /** The in-process engine it can run with no server (`PGlite`), or null when it needs a server. */
  readonly embeddedEngine: string | null;
  readonly capabilities: DialectCapabilities;
  readonly syntax: SqlSyntax;
  /**
   * The statement that puts a session's settings back as a new session has them, after SQL
   * written for a session of its own (a dump empties `search_path`): PostgreSQL `RESET ALL`;
   * null where there is none (a mysqldump sets its variables back itself).
   */
  readonly sessionReset: string | null;
}

const POSTGRES: DialectInfo = {
  name: 'postgres',
  displayName: 'PostgreSQL',
  aliases: ['postgresql', 'pg', 'pglite', 'cockroachdb', 'cockroach'],
  urlSchemes: ['postgres', 'postgresql', 'pglite'],
  exampleUrl: 'postgres://postgres@localhost:5432/postgres',
  embeddedEngine: 'PGlite',
  sessionReset: 'RESET ALL',
  capabilities: { uncheckedForeignKeyLoad: false, disableTriggers: true, namespaces: true, timestampRanges: [] },
  syntax: {
    stringEscapes: 'e-prefix',
    backtickIdentifiers: false,
    hashComments: false,
    nestedBlockComments: true,
    versionedComments: false,
    dollarQuotes: true,
    metaCommands: true,
    delimiterCommand: false,
    compoundRoutines: true,
    copyFromStdin: true,
    markers: [
      /\$\$|\$[A-Za-z_]\w*\$/,
      /::\s*[a-z_]+/i,
      /\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\b[\s\S]*?\bLANGUAGE\s+plpgsql\b/i,
      /\bSERIAL\b|\bBIGSERIAL\b/i,
      /\bGENERATED\s+(?:ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b/i,
      /^\s*\\connect\b/im,
      /\bpg_catalog\./,
    ],
    // `ALTER TYPE … ADD VALUE` is not one of them since PostgreSQL 12 (the new value cannot be used
    // before the transaction commits, and PostgreSQL says so at the statement that tries).
    nonTransactional: [
      /^CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\b/i,
      /^DROP\s+INDEX\s+CONCURRENTLY\b/i,
      /^REINDEX\b(?:\s*\([^)]*\))?\s+(?:INDEX|TABLE|SCHEMA|DATABASE|SYSTEM)\s+CONCURRENTLY\b/i,
      /^ALTER\s+TABLE\b[\s\S]*\bDETACH\s+PARTITION\b[\s\S]*\bCONCURRENTLY\b/i,
      /^VACUUM\b/i,
      /^(?:CREATE|DROP)\s+DATABASE\b/i,
      /^(?:CREATE|DROP)\s+TABLESPACE\b/i,
      /^ALTER\s+SYSTEM\b/i,
      // A DO block that commits as it goes (supabase/storage's batched backfill: `COMMIT;` in its loop):
      // "invalid transaction termination" inside a transaction block.
      /^DO\b[\s\S]*\b(?:COMMIT|ROLLBACK)\s*(?:AND\s+(?:NO\s+)?CHAIN\s*)?;/i,
    ],
    multiStatementQuery: 'implicit',
  },
};

const MYSQL: DialectInfo = {
  name: 'mysql',
  displayName: 'MySQL/MariaDB',
  aliases: ['mariadb', 'singlestore'],
  urlSchemes: ['mysql', 'mariadb'],
  exampleUrl: 'mysql://root@localhost:3306/test',
  embeddedEngine: null,
  sessionReset: null,
  capabilities: {
    uncheckedForeignKeyLoad: true,
    disableTriggers: false,
    namespaces: false,
    timestampRanges: [{ rawType: /^timestamp/i, min: '1970-01-02', max: '2038-01-18' }],
  },
  syntax: {
    stringEscapes: 'backslash',
    backtickIdentifiers: true,
    hashComments: true,
    nestedBlockComments: false,
    versionedComments: true,
    dollarQuotes: false,
    metaCommands: false,
    delimiterCommand: true,
    compoundRoutines: true,
    copyFromStdin: false,
    markers: [/\bENGINE\s*=\s*\w+/i, /^\s*DELIMITER\s+\S+/im, /\/\*!\d{5}/, /\bAUTO_INCREMENT\b/i, /`[^`\n]+`/, /\bUNSIGNED\b/i],
    // DDL commits implicitly, so no statement is refused inside a transaction block.
    nonTransactional: [],
    multiStatementQuery: 'none',
  },
};

/** Every dialect, the embedded default first. */
export const DIALECTS: readonly DialectInfo[] = [POSTGRES, MYSQL];

/** The registry's entry for a dialect name (as a saved file records it). */
export function dialectInfo(name: DialectName): DialectInfo {
  const info = DIALECTS.find((d) => d.name === name);
  if (!info) throw new Error(`no dialect named ${JSON.stringify(name)} in the registry`);
  return info;
}

/** The dialect a word names: its name, an alias or a URL scheme, any case; `undefined` otherwise. */
export function dialectNameFor(word: string): DialectName | undefined {
  const w = word.trim().toLowerCase();
  return DIALECTS.find((d) => d.name === w || d.aliases.includes(w) || d.urlSchemes.includes(w))?.name;
}

/**
 * Parses a dialect the user named (`--dialect pg`).
 * @throws UsageError naming the flag and listing the names it takes.
 */
export function parseDialectName(word: string, flag = '--dialect'): DialectName {
  const name = dialectNameFor(word);
  if (name === undefined) {
    throw new UsageError(`unknown ${flag} "${word}"`, {
      hint: `Use ${DIALECTS.map((d) => `${d.name} (${d.displayName}${d.aliases.length > 0 ? `; also ${d.aliases.join(', ')}` : ''})`).join(' or ')}.`,
    });
  }
  return name;
}

/** The dialect with an in-process engine, used when no server is given. */
export function embeddedDialectInfo(): DialectInfo & { readonly embeddedEngine: string } {
  const info = DIALECTS.find((d) => d.embeddedEngine !== null);
  if (!info) throw new Error('the registry has no dialect with an embedded engine');
  return info as DialectInfo & { readonly embeddedEngine: string };
}
