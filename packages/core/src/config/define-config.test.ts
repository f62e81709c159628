/**
 * `defineConfig` types every section of every command: this file is type-checked by `npm run lint`
 * (tsconfig.tests.json), and the config it builds is valid at run time too.
 */
import { describe, expect, it } from 'vitest';
import { defineConfig, UnderstudyConfig, withEnvironment } from '../index.js';

const everySection = defineConfig({
  $schema: './node_modules/understudy-cli/dist/understudy.config.schema.json',
  seed: 42,
  rows: 1000,
  locale: 'en',
  referenceTime: '2025-01-01T00:00:00Z',
  nullRate: 0.1,
  only: ['public.*'],
  exclude: ['*_log'],
  triggers: 'disable',
  workers: 2,
  url: 'postgres://postgres@localhost:5432/dev',
  profile: 'profile.json',
  tables: { customer: { rows: 10, columns: { tier: { values: ['free', 'pro'], weights: [9, 1] } }, checks: { c: { ignore: true } } } },
  target: { localHosts: ['db'], lockTimeout: '30s' },
  profiling: { k: 10, analyze: true, scan: false },
  fidelity: { minScore: 0.9 },
  rehearse: { lockThresholdRows: 50_000, lockThresholdMs: 1000, checks: [{ name: 'users', query: 'select count(*) from users' }] },
  scrub: { policy: 'scrub.policy.json' },
  environments: {
    dev: { rows: 50, only: ['customer'] },
    qa: { scale: 0.1, profile: 'profile.json', seed: 7 },
    perf: { scale: 1, workers: 4, url: 'postgres://perf@localhost/perf', tables: { customer: { rows: 100_000 } } },
  },
});

// @ts-expect-error an unknown section is a type error (and a config error at run time)
defineConfig({ rehersal: {} });
// @ts-expect-error an environment sets what differs between runs, not other environments
defineConfig({ environments: { dev: { environments: {} } } });

describe('defineConfig', () => {
  it('types a config with every section, which the config model accepts', () => {
    expect(UnderstudyConfig.safeParse(everySection).success).toBe(true);
    expect(UnderstudyConfig.safeParse({ rehersal: {} }).success).toBe(false);
  });

  it('applies an environment over the top level: rows replaces scale, tables merge table by table', () => {
    const config = UnderstudyConfig.parse({ scale: 0.5, seed: 1, tables: { a: { rows: 5 }, b: { rows: 6 } }, environments: { dev: { rows: 50, tables: { a: { rows: 1 } } } } });
    expect(withEnvironment(config, 'dev', 'c.ts')).toEqual({ seed: 1, rows: 50, tables: { a: { rows: 1 }, b: { rows: 6 } } });
    expect(() => withEnvironment(config, 'prod', 'c.ts')).toThrow('--env prod: c.ts has no environment "prod" (it has: dev)');
  });
});
