/**
 * Runs chunk tasks through the pool with at most `inFlight` at once and hands
 * their bytes to `write` strictly in task order (a reorder buffer), so the
 * output is the same whatever the worker count and memory holds at most
 * `inFlight` chunks however many rows are asked for.
 *
 * @example
 * ```ts
 * await writeInOrder(ranges.length, 4, (i) => pool.run(taskFor(ranges[i]!)), (bytes) => writer.write(bytes));
 * ```
 */

export async function writeInOrder(
  count: number,
  inFlight: number,
  start: (index: number) => Promise<Uint8Array>,
  write: (bytes: Uint8Array, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const pending: Promise<Uint8Array>[] = [];
  let next = 0;
  try {
    for (let i = 0; i < count; i++) {
      while (next < count && pending.length < inFlight) {
        const p = start(next++);
        p.catch(() => undefined); // awaited below, in order; never an unhandled rejection
        pending.push(p);
      }
      signal?.throwIfAborted();
      const bytes = await pending.shift()!;
      signal?.throwIfAborted();
      await write(bytes, i);
    }
  } finally {
    // On failure, let the tasks already started settle before the caller tears down the pool.
    await Promise.allSettled(pending);
  }
}
