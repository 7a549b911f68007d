/**
 * The ratio of two contenders measured in turns (the vault and (c) in `bench/cases/storage.ts`),
 * turn by turn: load that drifts during a run moves both members of a pair, so the median of
 * the pairs' ratios is steadier than the ratio of the totals.
 *
 * @module
 */

/** Ratios of paired turns: median and quartiles (nearest rank) over `n` pairs. */
export interface PairedRatio {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly n: number;
}

/**
 * The ratios `cases[i] / peers[i]` of turns run in pairs, summarised.
 *
 * @example
 * ```ts
 * import { pairedRatio } from './paired-ratio.js';
 *
 * pairedRatio([2, 3, 4], [2, 2, 2]); // { median: 1.5, q1: 1, q3: 2, n: 3 }
 * ```
 */
export function pairedRatio(cases: readonly number[], peers: readonly number[]): PairedRatio {
  if (cases.length !== peers.length || cases.length === 0) throw new RangeError('pairedRatio needs as many peer figures as case figures, at least one');
  const r = cases.map((v, i) => v / (peers[i] as number)).sort((x, y) => x - y);
  const at = (q: number) => r[Math.min(r.length - 1, Math.max(0, Math.ceil(q * r.length) - 1))] as number;
  return { median: r.length % 2 === 1 ? at(0.5) : ((r[r.length / 2 - 1] as number) + (r[r.length / 2] as number)) / 2, q1: at(0.25), q3: at(0.75), n: r.length };
}
