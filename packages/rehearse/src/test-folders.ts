/**
 * Shared setup for this package's tests: the migration fixtures folder, temporary
 * folders removed after each test, and a guard that a step is a SQL script.
 * Not part of the build.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { isMigrationScript, type MigrationStep } from './migration-model.js';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/migrations/', import.meta.url));

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A new empty folder, removed after the current test. */
export async function tempFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** The step as a SQL script; throws if it is a command. */
export function script(step: MigrationStep | undefined) {
  if (!step || !isMigrationScript(step)) throw new Error('expected a script');
  return step;
}
