/**
 * The queue between the task reading (and rewriting) the source and the one writing the target.
 * The target writes on one session, so while it puts a table's keys and indexes back (seconds for
 * a large table) it takes nothing; the reader goes on into the next tables meanwhile. Chunks
 * wait in memory up to a bound (memory stays flat, whatever the row count); past it, they go
 * to a spill file, up to another bound, and only past that does the reader wait. Without the
 * file the reader stood idle for most of a large table's index build, with a core free.
 *
 * The spill file holds chunks as the target takes them (the copy, already scrubbed). It is made
 * with mode 0600 in the temporary folder and unlinked as soon as it is open, so it goes away with
 * the process whatever ends it; its space is used again once every chunk in it has been taken.
 * Where it cannot be made or written (a full disk), the queue goes on without it.
 *
 * @example
 * ```ts
 * const ahead = createLookAhead({ memoryBytes: 32 << 20, spillBytes: 1 << 30 });
 * // reader: if (!(await ahead.put({ out, rows, bytes }))) return; … ahead.put('end');
 * // writer: for (let c = await ahead.take(); c !== 'end'; c = await ahead.take()) { write(await c.out); ahead.release(c.bytes); }
 * ```
 */
import { closeSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AheadChunk {
  /** The chunk as the sink takes it (a worker's result still on its way). */
  readonly out: Promise<Uint8Array>;
  readonly rows: number;
  /** The bytes it holds in memory against the bound (0 for a chunk read back from the spill file). */
  readonly bytes: number;
}

export interface LookAhead {
  /**
   * Queues a chunk, or a table's end: in memory while the bound leaves room, else (its bytes once
   * ready) in the spill file while that has room, else in memory once the writer has made room.
   * @returns false once the reader must stop.
   */
  put(item: AheadChunk | 'end'): Promise<boolean>;
  fail(error: unknown): void;
  /** The next chunk, or 'end' of the current table. @throws the reading task's error. */
  take(): Promise<AheadChunk | 'end'>;
  /** A taken chunk's memory is free (its `bytes`). */
  release(bytes: number): void;
  /** No more: the reader stops at its next put, the spill file is closed. */
  stop(): void;
  /** Bytes written to the spill file so far (for tests and the bench). */
  readonly spilled: number;
}

export interface LookAheadOptions {
  /** Bytes held in memory before chunks spill. */
  readonly memoryBytes: number;
  /** Bytes the spill file may hold at once; 0: no file, the reader waits. */
  readonly spillBytes: number;
  /** Where the spill file goes (default: the OS's temporary folder). */
  readonly spillDir?: string;
}

type Queued = AheadChunk | { readonly at: number; readonly length: number; readonly rows: number } | 'end';

export function createLookAhead(options: LookAheadOptions): LookAhead {
  const items: Queued[] = [];
  let held = 0;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let wakeReader: (() => void) | undefined;
  let wakeWriter: (() => void) | undefined;
  const wake = (which: 'reader' | 'writer'): void => {
    const f = which === 'reader' ? wakeReader : wakeWriter;
    if (which === 'reader') wakeReader = undefined;
    else wakeWriter = undefined;
    f?.();
  };
  // the spill file: chunks are appended at `end`; once none in it is left to take, writing starts over at 0
  let fd: number | undefined;
  // where the file could not be unlinked while open (Windows): removed when closed
  let linked: string | undefined;
  let end = 0;
  let inFile = 0;
  let spilled = 0;
  let spilling = options.spillBytes > 0;
  const open = (): number => {
    if (fd !== undefined) return fd;
    const path = join(options.spillDir ?? tmpdir(), `understudy-scrub-${process.pid}-${randomBytes(6).toString('hex')}.spill`);
    fd = openSync(path, 'wx+', 0o600);
    try {
      unlinkSync(path);
    } catch {
      linked = path;
    }
    return fd;
  };
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    if (linked !== undefined) rmSync(linked, { force: true });
    linked = undefined;
  };
  const inMemory = (item: AheadChunk): boolean => {
    items.push(item);
    held += item.bytes;
    wake('writer');
    return !stopped;
  };
  return {
    async put(item) {
      if (stopped) return false;
      if (item === 'end') {
        items.push(item);
        wake('writer');
        return true;
      }
      if (held < options.memoryBytes || items.length === 0) return inMemory(item);
      if (spilling && end + item.bytes <= options.spillBytes) {
        const bytes = await item.out;
        if (stopped) return false;
        try {
          const file = open();
          for (let done = 0; done < bytes.byteLength;) done += writeSync(file, bytes, done, bytes.byteLength - done, end + done);
          items.push({ at: end, length: bytes.byteLength, rows: item.rows });
          end += bytes.byteLength;
          inFile++;
          spilled += bytes.byteLength;
          wake('writer');
          return true;
        } catch {
          // no room or no folder for the file (a full disk): no more spilling, the reader waits as without it
          spilling = false;
          item = { out: Promise.resolve(bytes), rows: item.rows, bytes: item.bytes };
        }
      }
      while (!stopped && held >= options.memoryBytes && items.length > 0) await new Promise<void>((resolve) => (wakeReader = resolve));
      return stopped ? false : inMemory(item);
    },
    fail(error) {
      failure = { error };
      wake('writer');
    },
    async take() {
      for (;;) {
        const item = items.shift();
        if (item === 'end' || (item !== undefined && 'out' in item)) return item;
        if (item !== undefined) {
          const bytes = Buffer.allocUnsafe(item.length);
          for (let done = 0; done < item.length;) done += readSync(fd!, bytes, done, item.length - done, item.at + done);
          if (--inFile === 0) end = 0;
          return { out: Promise.resolve(bytes), rows: item.rows, bytes: 0 };
        }
        if (failure) throw failure.error;
        await new Promise<void>((resolve) => (wakeWriter = resolve));
      }
    },
    release(bytes) {
      held -= bytes;
      if (held < options.memoryBytes) wake('reader');
    },
    stop() {
      stopped = true;
      close();
      wake('reader');
    },
    get spilled() {
      return spilled;
    },
  };
}
