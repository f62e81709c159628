// An example config with three environment profiles, runnable on the pagila schema in this repository:
//
//   understudy seed --config examples/understudy.config.ts --env dev  --from fixtures/schemas/pagila/schema.sql
//   understudy seed --config examples/understudy.config.ts --env perf --from fixtures/schemas/pagila/schema.sql --pglite .perf-db
//
// In your project, name it understudy.config.ts at the root (it is then found without --config) and
// import defineConfig from the CLI package as here. See docs/config.md.
import { defineConfig } from 'understudy-cli';

export default defineConfig({
  seed: 42,
  rows: 1000,
  tables: {
    'public.film': {
      columns: {
        rating: { values: ['G', 'PG', 'PG-13', 'R', 'NC-17'], weights: [10, 25, 35, 25, 5] },
      },
    },
  },
  rehearse: { lockThresholdRows: 50_000 },
  environments: {
    // light: a developer's branch or a preview environment, in seconds, only the tables the app's smoke tests read
    dev: { rows: 100, only: ['public.film', 'public.language', 'public.actor', 'public.film_actor', 'public.category', 'public.film_category'] },
    // medium: the QA environment, every table, enough rows to page and search
    qa: { rows: 5_000, seed: 7 },
    // heavy: performance tests at production size; with a production profile (understudy profile --out),
    // give profile: 'prod-profile.json' and scale: 1 instead of rows
    perf: { rows: 200_000, workers: 2, tables: { 'public.rental': { rows: 1_000_000 } } },
  },
});
