/** Money is integer fen (分). 1 元 = 100 fen. */
export type Fen = number;

export function yuan(n: number): Fen {
  const fen = Math.round(n * 100);
  return fen;
}

export function assertFen(n: number): Fen {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer amount of fen: ${n}`);
  return n;
}

/** ¥1,234.50 style, as the mini-program shows it. */
export function formatFen(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuanPart = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuanPart}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Split `total` fen in proportion to `weights`, exactly: the parts are integers that add up
 * to `total`. Remainders go to the largest fractional parts (ties to the earlier weight).
 */
export function allocate(total: Fen, weights: number[]): Fen[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  const raw = weights.map((w) => (total * w) / sum);
  const floors = raw.map((r) => Math.floor(r));
  let rest = total - floors.reduce((a, b) => a + b, 0);
  const order = raw
    .map((r, i) => ({ i, frac: r - Math.floor(r) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (rest <= 0) break;
    floors[i]! += 1;
    rest -= 1;
  }
  return floors;
}
