/**
 * A readable summary of a Plan: per table its rows, per column the generator,
 * NULL rate and why; CHECKs generation does not guarantee are listed.
 *
 * @example
 * ```ts
 * process.stdout.write(formatPlanSummary(buildPlan(schema, { seed: 1 })));
 * ```
 */
import type { Plan, PlanColumn, PlanTable } from './plan-model.js';

/**
 * The share of NULLs a column gets: its own rate, or for a foreign key column its pick's (a
 * nullable FK's NULL rate lives on the pick, shared by the key's columns; a tree's roots are NULL).
 */
export function effectiveNullRate(table: PlanTable, column: PlanColumn): number {
  if (column.generator?.name !== 'reference') return column.nullRate;
  const pick = table.picks[String(column.generator.params['pick'])];
  if (!pick) return column.nullRate;
  switch (pick.kind) {
    case 'skewed':
    case 'fanout':
    case 'permutation':
      return Math.max(column.nullRate, pick.nullRate);
    case 'tree':
      return Math.max(column.nullRate, pick.rootRate);
    default:
      return column.nullRate;
  }
}

function generatorText(column: PlanColumn): string {
  if (!column.load) return '(not written: left to the database)';
  if (column.deferred) return `${column.generator?.name ?? 'null'} (set after load: FK cycle)`;
  if (!column.generator) return 'NULL';
  const params = Object.keys(column.generator.params).length > 0 ? ` ${JSON.stringify(column.generator.params)}` : '';
  const text = `${column.generator.name}${params}`;
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** See the module comment. */
export function formatPlanSummary(plan: Plan): string {
  const lines: string[] = [];
  const totalRows = plan.loadOrder.reduce((n, t) => n + (plan.tables[t]?.rows ?? 0), 0);
  lines.push(`Plan: seed ${plan.seed}, ${plan.loadOrder.length} tables, ${totalRows.toLocaleString('en-US')} rows (${plan.dialect}, locale ${plan.locale}, generator ${plan.generatorVersion})`);
  const unguaranteed: string[] = [];
  for (const key of plan.loadOrder) {
    const table = plan.tables[key]!;
    lines.push('', `${key}  ${table.rows.toLocaleString('en-US')} rows`);
    const width = Math.max(...table.columns.map((c) => c.name.length), 4);
    for (const column of table.columns) {
      const rate = effectiveNullRate(table, column);
      const nulls = rate > 0 ? `null ${Math.round(rate * 1000) / 10}%` : 'not null';
      lines.push(`  ${column.name.padEnd(width)}  ${generatorText(column).padEnd(40)}  ${nulls.padEnd(10)}  ${column.reason}`);
    }
    for (const group of table.nullGroups) {
      const total = group.weights.reduce((a, b) => a + b, 0);
      const shares = group.patterns.map((p, i) => `${p} ${Math.round((group.weights[i]! / total) * 1000) / 10}%`).join(', ');
      lines.push(`  NULL patterns of (${group.columns.join(', ')}), 1 = NOT NULL: ${shares} (${group.checks.map((c) => (c.startsWith('profile:') ? c : `CHECK ${c}`)).join(', ')})`);
    }
    for (const check of table.checks) {
      if (check.status === 'partial' || check.status === 'uninterpreted') {
        unguaranteed.push(`  ${key} ${check.name} (${check.status}): ${check.expression}${check.reason ? ` (${check.reason})` : ''}`);
      }
    }
    for (const note of table.notes) lines.push(`  note: ${note}`);
  }
  if (plan.uncheckedForeignKeys.length > 0) {
    lines.push('', 'FK cycles loaded out of order (with FK checks off, then validated by query before commit; a virtual or implicit reference has no check):');
    for (const u of plan.uncheckedForeignKeys) lines.push(`  ${u.table} ${u.foreignKey}`);
  }
  const kept = Object.entries(plan.kept);
  if (kept.length > 0) {
    lines.push('', 'Kept as they are (rows unchanged; tables that reference them pick among their rows):');
    for (const [table, k] of kept) lines.push(`  ${table}: ${k.reason}`);
  }
  if (plan.skipped.length > 0) {
    lines.push('', 'Not loaded:');
    for (const s of plan.skipped) lines.push(`  ${s.table}: ${s.reason}`);
  }
  lines.push('', unguaranteed.length > 0 ? 'CHECKs not interpreted (rows may violate them; give a generator in the config):' : 'Every CHECK is interpreted.');
  lines.push(...unguaranteed);
  return `${lines.join('\n')}\n`;
}
