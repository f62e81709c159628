/**
 * The scrub key: the secret every keyed transform is derived from. It comes from
 * `UNDERSTUDY_SCRUB_KEY` or a key file (`--key-file`), never from the policy, and
 * is never printed. Without one, scrub and audit refuse to run.
 *
 * Subkeys are HMAC-SHA256 of the key over a label (`permute:int`, `fake:email`), so
 * a transform's output depends on the key, the transform and the input only: the
 * same in every table, every run and every database.
 *
 * @example
 * ```ts
 * const key = readScrubKey({ env: process.env, keyFile: undefined });
 * const sub = key.derive('hash');   // 32 bytes
 * ```
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '@understudy/core';

export const SCRUB_KEY_ENV = 'UNDERSTUDY_SCRUB_KEY';
/** Fewer characters than this is refused: a short key is guessable, and a guessed key undoes every pseudonym. */
export const MIN_KEY_LENGTH = 16;

/** A secret key and the subkeys derived from it. */
export class ScrubKey {
  readonly #secret: Buffer;
  readonly #derived = new Map<string, Buffer>();

  constructor(secret: Buffer) {
    this.#secret = Buffer.from(secret);
  }

  /** 32 bytes: HMAC-SHA256(key, label). */
  derive(label: string): Buffer {
    let sub = this.#derived.get(label);
    if (!sub) {
      sub = createHmac('sha256', this.#secret).update(`understudy-scrub/1/${label}`).digest();
      this.#derived.set(label, sub);
    }
    return sub;
  }

  /** The secret's bytes, for a worker thread of this process to make the same key; never print or save them. */
  secretForWorker(): Uint8Array {
    return new Uint8Array(this.#secret);
  }

  /** Never the secret. */
  toJSON(): string {
    return '[scrub key]';
  }

  toString(): string {
    return '[scrub key]';
  }
}

/**
 * The key from `--key-file` (its contents, trailing newline removed) or `UNDERSTUDY_SCRUB_KEY`.
 * @throws UsageError with no key, an unreadable file, or a key shorter than 16 characters.
 */
export function readScrubKey(options: { readonly env: NodeJS.ProcessEnv; readonly keyFile?: string | undefined; readonly command?: string }): ScrubKey {
  const command = options.command ?? 'scrub';
  let text: string | undefined;
  let from: string;
  if (options.keyFile !== undefined) {
    from = `--key-file ${options.keyFile}`;
    try {
      text = readFileSync(options.keyFile, 'utf8').replace(/\r?\n$/, '');
    } catch (error) {
      throw new UsageError(`cannot read the scrub key from ${options.keyFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
        hint: 'Give a file that holds the key (e.g. made with `openssl rand -hex 32 > scrub.key`).',
      });
    }
  } else {
    from = SCRUB_KEY_ENV;
    text = options.env[SCRUB_KEY_ENV];
  }
  if (text === undefined || text === '') {
    throw new UsageError(`${command} needs a secret key: set ${SCRUB_KEY_ENV} or give --key-file FILE`, {
      hint: `Every transform is keyed: the same key gives the same pseudonyms in every run, and without it nobody can reverse them. Make one with \`openssl rand -hex 32 > scrub.key\` and keep it out of the policy and the repository.`,
    });
  }
  if (text.length < MIN_KEY_LENGTH) {
    throw new UsageError(`the scrub key from ${from} has ${text.length} characters; at least ${MIN_KEY_LENGTH} are needed`, {
      hint: 'Make one with `openssl rand -hex 32`.',
    });
  }
  return new ScrubKey(Buffer.from(text, 'utf8'));
}
