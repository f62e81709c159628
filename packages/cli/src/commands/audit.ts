/**
 * `understudy audit --source SRC --url TARGET [--policy FILE]`: proves that no original
 * value of a column the policy transforms is anywhere in the target (whole, or inside
 * text and JSON), and re-checks the target's joins, keys and NOT NULLs. Prints counts
 * and target row keys, never a value; exit 1 on any leak or failed check.
 */
import { redactUrl, UnderstudyError, UsageError } from '@understudy/core';
import { auditLeaks, formatAuditReport, targetKeyedAsSource } from '@understudy/scrub';
import { dialectFor } from '../dialects.js';
import { writeResult } from '../output.js';
import { openScrubSource, type ScrubSourceOptions } from './scrub-inputs.js';

export interface AuditCommandOptions extends ScrubSourceOptions {
  readonly url?: string;
  /** `--json [file]`: see writeResult. */
  readonly json?: boolean | string;
}

export class AuditFailedError extends UnderstudyError {
  constructor(leaks: number) {
    super(leaks > 0 ? `audit found ${leaks} leak${leaks === 1 ? '' : 's'}: original values of transformed columns are in the target` : "audit found the target's joins, keys or NOT NULLs broken", {
      exitCode: 1,
      hint: leaks > 0 ? 'The rows are listed above (keys only). Check the policy of those columns (a kept column holding personal data, a JSON path not covered) and scrub again.' : undefined,
    });
  }
}

export async function auditCommand(options: AuditCommandOptions): Promise<void> {
  if (options.url === undefined) {
    throw new UsageError('audit needs --url: the scrubbed copy to check', {
      hint: 'Example: understudy audit --source postgres://readonly@prod:5432/app --url postgres://postgres@localhost:5432/staging',
    });
  }
  const targetDialect = await dialectFor(options.url);
  const source = await openScrubSource(options, 'audit');
  try {
    const target = await targetDialect.connect(options.url);
    try {
      if (!target.openSnapshot) throw new UsageError(`auditing a ${target.dialect.name} target is not available yet`);
      // Where a database is the namespace (MySQL), the target's tables are matched to the source's by name.
      const targetSchema = targetKeyedAsSource(source.schema, await target.introspect());
      const sourceReader = await source.connection.openSnapshot!();
      const targetReader = await target.openSnapshot();
      try {
        const report = await auditLeaks({
          plan: source.plan,
          sourceSchema: source.schema,
          targetSchema,
          source: sourceReader,
          target: targetReader,
          key: source.key,
          dictionaries: source.dictionaries,
        });
        await writeResult(
          options.json,
          () => `${JSON.stringify(report, null, 2)}\n`,
          () => formatAuditReport(report, redactUrl(options.url!)),
        );
        if (!report.passed) throw new AuditFailedError(report.leakCount);
      } finally {
        await sourceReader.close();
        await targetReader.close();
      }
    } finally {
      await target.close();
    }
  } finally {
    await source.connection.close();
  }
}
