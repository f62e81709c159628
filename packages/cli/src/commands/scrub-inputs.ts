/**
 * What `scrub` and `audit` share: the key (never from the policy), the policy file,
 * and the source's schema and snapshot reader.
 */
import { readFile } from 'node:fs/promises';
import { ConnectionError, loadPiiDictionaries, parseScrubPolicy, UsageError, type DatabaseConnection, type PiiDictionaries, type ScrubPolicy } from '@understudy/core';
import { planScrub, readScrubKey, withPolicyForeignKeys, type ScrubKey, type ScrubPlan } from '@understudy/scrub';
import type { Schema } from '@understudy/core';
import { dialectFor } from '../dialects.js';

export interface ScrubSourceOptions {
  readonly source?: string;
  readonly policy?: string;
  readonly keyFile?: string;
  readonly schemas?: string;
}

export const DEFAULT_POLICY_FILE = 'scrub.policy.json';

export async function readPolicy(file: string): Promise<ScrubPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the scrub policy ${file}: ${code ?? (error as Error).message}`, {
      hint: code === 'ENOENT' ? `Make one with \`understudy scan --url SRC --out ${file}\` and review it, or give --policy FILE.` : undefined,
    });
  }
  return parseScrubPolicy(text, file);
}

export interface OpenedSource {
  readonly connection: DatabaseConnection;
  readonly schema: Schema;
  readonly policy: ScrubPolicy;
  readonly policyFile: string;
  readonly key: ScrubKey;
  readonly plan: ScrubPlan;
  readonly dictionaries: PiiDictionaries;
}

/**
 * Reads the key and the policy, connects to the source, introspects it and checks the policy against it.
 * The key is read first: without one nothing else happens.
 */
export async function openScrubSource(options: ScrubSourceOptions, command: 'scrub' | 'audit'): Promise<OpenedSource> {
  const key = readScrubKey({ env: process.env, keyFile: options.keyFile, command });
  if (options.source === undefined) {
    throw new UsageError(`${command} needs --source: the database to read (read-only access is enough)`, {
      hint: `Example: understudy ${command} --source postgres://readonly@prod:5432/app --url postgres://postgres@localhost:5432/staging`,
    });
  }
  const policyFile = options.policy ?? DEFAULT_POLICY_FILE;
  // The dictionaries (faker's locales) load while the source answers: they are needed only by the plan.
  const loading = loadPiiDictionaries();
  loading.catch(() => undefined); // awaited below; a source error wins
  const policy = await readPolicy(policyFile);
  const connection = await (await dialectFor(options.source)).connect(options.source);
  try {
    if (!connection.openSnapshot)
      throw new ConnectionError(`reading ${connection.dialect.name} as a ${command} source is not available yet`, { hint: 'Scrub from a PostgreSQL or MySQL/MariaDB server.' });
    const schemas = options.schemas
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    // Foreign keys declared only in the policy join the schema here: the plan, the subset and audit follow them.
    const schema = withPolicyForeignKeys(await connection.introspect(schemas && schemas.length > 0 ? { schemas } : {}), policy, policyFile);
    const dictionaries = await loading;
    const plan = planScrub(schema, policy, { key, dictionaries, policyFile });
    return { connection, schema, policy, policyFile, key, plan, dictionaries };
  } catch (error) {
    await connection.close();
    throw error;
  }
}
