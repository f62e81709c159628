/**
 * Colour on a terminal, and only there: a stream gets ANSI colours when it is a TTY, `NO_COLOR`
 * is not set to a non-empty value (https://no-color.org), and `TERM` is not `dumb`;
 * `FORCE_COLOR` (non-empty, not `0`) forces them on, as in Node's own tools. Piped output,
 * files, `--json` and CI logs stay plain text.
 *
 * @example
 * ```ts
 * const paint = painter(process.stdout);
 * process.stdout.write(`${paint.green('✓')} 002 add_last_login\n`);
 * ```
 */

export interface Painter {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

/** Whether `stream` gets colour, by the rules of the module comment. */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0') return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

const wrap =
  (open: number, close: number) =>
  (text: string): string =>
    `\x1b[${open}m${text}\x1b[${close}m`;
const plain = (text: string): string => text;

export function painter(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Painter {
  const enabled = colourEnabled(stream, env);
  return enabled
    ? { enabled, red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), bold: wrap(1, 22), dim: wrap(2, 22) }
    : { enabled, red: plain, green: plain, yellow: plain, bold: plain, dim: plain };
}

/**
 * A rehearsal summary with its verdicts coloured: `✓` green, `✗` red, `PASSED` green, `FAILED`
 * and the hazards heading red (the text is unchanged without colour).
 */
export function colourRehearsalSummary(text: string, paint: Painter): string {
  if (!paint.enabled) return text;
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/^(\s*)✓ /, (_, pad: string) => `${pad}${paint.green('✓')} `)
        .replace(/^(\s*)✗ /, (_, pad: string) => `${pad}${paint.red('✗')} `)
        .replace(/^PASSED\b/, paint.green(paint.bold('PASSED')))
        .replace(/^FAILED\b/, paint.red(paint.bold('FAILED')))
        .replace(/^Hazards \((\d+)\):/, (_, n: string) => paint.red(`Hazards (${n}):`)),
    )
    .join('\n');
}
