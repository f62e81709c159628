/**
 * Reads a file a user named (a DDL file, a config, a saved plan) as text, with a
 * message that says what is wrong: no such file, a folder, no permission, or not
 * text at all (an image, a `.sql.gz`), whose bytes are never echoed.
 *
 * @example
 * ```ts
 * const text = await readTextFile('db/schema.sql', '--from db/schema.sql', 'Give the path of a .sql file.');
 * ```
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';

/** How much of a file the binary test looks at. */
const SAMPLE = 8000;

/**
 * Why `bytes` are not text, or undefined: a NUL byte (as git decides), or more than a tenth of
 * the first 8,000 characters being control characters or bytes that are not UTF-8.
 * @example
 * ```ts
 * binaryReason(new Uint8Array([0x1f, 0x8b, 8, 0])); // 'it is gzip-compressed'
 * ```
 */
export function binaryReason(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'it is gzip-compressed';
  const head = bytes.subarray(0, SAMPLE);
  const nul = head.indexOf(0);
  if (nul >= 0) return `it holds binary data (a NUL byte at byte ${nul + 1})`;
  const text = new TextDecoder('utf-8').decode(head);
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x0b && c !== 0x1b)) odd++;
  }
  return odd > text.length / 10 ? `it holds binary data (${odd} of its first ${text.length} characters are control characters or not UTF-8)` : undefined;
}

/**
 * The text of `file`; `what` names it in messages (`--from schema.sql`), `hint` says what to give instead.
 * @throws UsageError: no such file, a folder, not readable, or not text.
 */
export async function readTextFile(file: string, what: string, hint: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a folder, not a file'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${code ?? (error as Error).message})`;
    throw new UsageError(`${what}: ${why}`, { hint, cause: error });
  }
  const binary = binaryReason(bytes);
  if (binary) {
    throw new UsageError(`${what} is not a text file: ${binary}`, {
      hint: binary.includes('gzip') ? `Decompress it first (gunzip -k ${file}) and give the .sql file.` : hint,
    });
  }
  return new TextDecoder('utf-8').decode(bytes);
}
