/**
 * Strings built a character at a time, without `+=`. In V8 each `+=` of a
 * short piece adds a node to a rope (a ConsString); the rope is flattened when
 * the value is encoded, so a 60-character code built by `+=` costs about four
 * times what one made from its character codes does, once to make and once to
 * write. Generators that draw characters one by one collect their codes here.
 *
 * @example
 * ```ts
 * const codes = new CharCodes();
 * for (let k = 0; k < 8; k++) codes.push(65 + rnd.index(26));
 * codes.take(); // 'QHZKDAPW'
 * ```
 */
export class CharCodes {
  readonly #codes: number[] = [];

  /** Appends one UTF-16 code unit. */
  push(code: number): void {
    this.#codes.push(code);
  }

  /** Appends every code unit of `text`. */
  append(text: string): void {
    for (let i = 0; i < text.length; i++) this.#codes.push(text.charCodeAt(i));
  }

  /** The string of the codes pushed since the last take; starts over. */
  take(): string {
    const codes = this.#codes;
    let out = '';
    // fromCharCode.apply takes a bounded number of arguments: go in slices for long strings.
    for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode.apply(null, codes.length <= 8192 ? codes : codes.slice(i, i + 8192));
    codes.length = 0;
    return out;
  }
}

/**
 * `length` characters drawn uniformly from `alphabet`, as one flat string.
 *
 * @example
 * ```ts
 * randomChars(rnd, '01', 8); // '01101001'
 * ```
 */
export function randomChars(rnd: { index(length: number): number }, alphabet: string, length: number): string {
  if (length <= 0) return '';
  const codes = scratch;
  const n = alphabet.length;
  for (let k = 0; k < length; k++) codes.push(alphabet.charCodeAt(rnd.index(n)));
  return codes.take();
}

const scratch = new CharCodes();
