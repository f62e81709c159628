/**
 * Compares migration versions the way the tools do: dot-separated parts compared
 * as numbers (`2` before `10`, `1.1` before `1.10`), missing parts count as zero
 * (`1.0` is the same version as `1`), so leading zeros do not matter either.
 *
 * @example
 * ```ts
 * ['10', '1.1', '2', '1'].sort(compareVersions); // ['1', '1.1', '2', '10']
 * ```
 */

function parts(version: string): bigint[] {
  return version.split('.').map((part) => (/^\d+$/.test(part) ? BigInt(part) : -1n));
}

/**
 * Negative when `a` sorts before `b`, zero when they are the same version.
 *
 * @example
 * ```ts
 * compareVersions('2', '10'); // -1
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0n;
    const y = pb[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Plain code-unit order, for deterministic tie-breaks that do not depend on the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
