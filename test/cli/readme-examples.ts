/**
 * The shell examples of a Markdown file, and the shape of their output.
 *
 * An example is a fenced block: a `sh` block is one command per line (no output shown); an
 * untagged block with `$ ` lines is a transcript: each `$ ` line a command, the lines after it
 * what it prints. Blocks without `$ ` lines (synopses, JSON, TypeScript) are not examples.
 *
 * The output is compared by shape: every number is `#`, a duration (`545 ms`, `2.5 s`) `<time>`, runs of spaces are one, a random hex
 * suffix is `<hex>`, `…` in an expected line matches anything, and a line that is only `…`
 * stands for any lines. The expected lines must appear in the output in order.
 */
import { readFileSync } from 'node:fs';

export interface ExampleStep {
  /** The command as written after `$ `. */
  readonly command: string;
  /** The lines shown after it (none for a `sh` block). */
  readonly expected: readonly string[];
  /** 1-based line of the command in the file. */
  readonly line: number;
}

export interface Example {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly transcript: boolean;
  readonly steps: readonly ExampleStep[];
}

export function examplesOf(file: string, text = readFileSync(file, 'utf8')): Example[] {
  const lines = text.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    const lang = open[1]!;
    if (lang === 'sh') {
      const steps = body.flatMap((command, k) => (command.trim() && !command.trim().startsWith('#') ? [{ command: command.trim(), expected: [], line: start + 2 + k }] : []));
      if (steps.length > 0) examples.push({ file, line: start + 1, transcript: false, steps });
    } else if (lang === '' && body.some((l) => l.startsWith('$ '))) {
      const steps: { command: string; expected: string[]; line: number }[] = [];
      body.forEach((l, k) => {
        if (l.startsWith('$ ')) steps.push({ command: l.slice(2).trim(), expected: [], line: start + 2 + k });
        else if (steps.length > 0) steps[steps.length - 1]!.expected.push(l);
      });
      for (const step of steps) while (step.expected.length > 0 && step.expected[step.expected.length - 1]!.trim() === '') step.expected.pop();
      examples.push({ file, line: start + 1, transcript: true, steps });
    }
  }
  return examples;
}

/** A line's shape: numbers `#`, random hex `<hex>`, spaces collapsed. */
export function shapeOf(line: string): string {
  return line
    .replace(/(?<![0-9a-zA-Z])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?![0-9a-zA-Z])/g, '<hex>')
    .replace(/\d+(?:[.,]\d+)*/g, '#')
    .replace(/# (?:µs|ms|s|min)(?![\w/])/g, '<time>')
    .replace(/\s+/g, ' ')
    .trim();
}

function lineMatcher(expected: string): RegExp {
  const parts = shapeOf(expected)
    .split('…')
    // Random hex can come out all digits (`_22231309`, one run in about 40) or all letters: still random hex.
    .map((p) =>
      p
        .trim()
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/<hex>/g, '(?:<hex>|#|[a-f]{8,})'),
    );
  return new RegExp(`^${parts.join('.*')}$`);
}

export interface ShapeMismatch {
  /** The expected line not found. */
  readonly missing: string;
  /** How many expected lines matched before it. */
  readonly matched: number;
}

/**
 * Whether `actual` has the shape of `expected`: each expected line (but `…` lines) matches an
 * actual line, in order (any order with `unordered`); blank lines are ignored.
 */
export function compareShape(expected: readonly string[], actual: readonly string[], options: { unordered?: boolean } = {}): ShapeMismatch | undefined {
  const want = expected.filter((l) => l.trim() !== '' && l.trim() !== '…');
  const have = actual.map(shapeOf).filter((l) => l !== '');
  let at = 0;
  let matched = 0;
  for (const line of want) {
    const re = lineMatcher(line);
    const found = options.unordered ? have.findIndex((h) => re.test(h)) : have.findIndex((h, k) => k >= at && re.test(h));
    if (found < 0) return { missing: line, matched };
    at = found + 1;
    matched++;
  }
  return undefined;
}
