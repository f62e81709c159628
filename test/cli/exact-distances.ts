/**
 * Exact distances between two columns' rows, computed here from every value (never
 * from a profile or from Understudy's scoring), to check the scores `fidelity`
 * reports: the two-sample Kolmogorov–Smirnov distance of the non-null numbers
 * (or dates, as instants), and the total variation distance of the non-null
 * values' shares, every distinct value its own category.
 */

/** sup |F(x) − G(x)| over the non-null values of both samples (empirical CDFs). */
export function exactKs(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** ½ Σ |p(v) − q(v)| over every distinct non-null value of either side. */
export function exactTvd(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : 1;
  const shares = (xs: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const v of xs) m.set(v, (m.get(v) ?? 0) + 1 / xs.length);
    return m;
  };
  const p = shares(a);
  const q = shares(b);
  let sum = 0;
  for (const v of new Set([...p.keys(), ...q.keys()])) sum += Math.abs((p.get(v) ?? 0) - (q.get(v) ?? 0));
  return sum / 2;
}

/** Splits CSV text (RFC 4180: quoted fields may hold commas, quotes and newlines); an empty unquoted field is NULL. */
export function parseCsv(text: string): Array<Array<string | null>> {
  const rows: Array<Array<string | null>> = [];
  let row: Array<string | null> = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  const end = (): void => {
    row.push(quoted || field !== '' ? field : null);
    field = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"') ((inQuotes = true), (quoted = true));
    else if (c === ',') end();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      end();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || quoted || row.length > 0) {
    end();
    rows.push(row);
  }
  return rows;
}
