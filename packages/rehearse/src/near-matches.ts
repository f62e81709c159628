/**
 * The candidates closest to a misspelt name, for "did you mean" messages:
 * those containing it (or contained in it) first, then by edit distance.
 *
 * @example
 * ```ts
 * nearMatches('add_emial', ['add_email', 'create_users']); // ['add_email']
 * ```
 */

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

export function nearMatches(wanted: string, candidates: readonly string[], limit = 5): string[] {
  const w = wanted.toLowerCase();
  const scored = [...new Set(candidates)].map((candidate) => {
    const c = candidate.toLowerCase();
    const contains = w.length > 0 && (c.includes(w) || w.includes(c));
    return { candidate, score: contains ? 0 : editDistance(w, c) };
  });
  const threshold = Math.max(2, Math.floor(wanted.length / 3));
  return scored
    .filter((s) => s.score <= threshold)
    .sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : a.candidate > b.candidate ? 1 : 0))
    .slice(0, limit)
    .map((s) => s.candidate);
}
