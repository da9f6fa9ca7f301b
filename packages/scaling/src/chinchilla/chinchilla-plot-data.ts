import { quantile } from '@modelsmith/core-tensor';
import type { ChinchillaBootstrap } from './bootstrap-chinchilla.js';
import { type ChinchillaParams, chinchillaLoss } from './chinchilla-params.js';
import { computeOptimal } from './compute-optimal.js';

export interface ChinchillaPlotData {
  /** Every run: observed and fitted loss, and whether it was used in the fit. */
  readonly points: readonly {
    params: number;
    tokens: number;
    compute: number;
    loss: number;
    fitted: number;
    used: boolean;
  }[];
  /** Fitted loss against tokens at fixed model sizes (the surface's slices). */
  readonly slices: readonly { params: number; tokens: number[]; loss: number[] }[];
  /** The compute-optimal frontier from the smallest run's compute to `extrapolateTo`, with bootstrap bands. */
  readonly frontier: {
    compute: number[];
    params: number[];
    tokens: number[];
    loss: number[];
    lower?: number[];
    upper?: number[];
    level?: number;
  };
}

function logspace(lo: number, hi: number, count: number): number[] {
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  return Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / Math.max(1, count - 1)));
}

/**
 * Plain data for a plot of a Chinchilla fit (the CLI's report renders it): runs, fitted slices at a few model
 * sizes, and the compute-optimal loss extrapolated beyond the data with bootstrap percentile bands.
 */
export function chinchillaPlotData(
  runs: { params: ArrayLike<number>; tokens: ArrayLike<number>; loss: ArrayLike<number> },
  params: ChinchillaParams,
  options: {
    readonly usedRows?: readonly number[];
    readonly bootstrap?: ChinchillaBootstrap;
    readonly sliceParams?: readonly number[];
    readonly extrapolateTo?: number;
    readonly resolution?: number;
  } = {},
): ChinchillaPlotData {
  const n = runs.params.length;
  const used = new Set(options.usedRows ?? Array.from({ length: n }, (_, i) => i));
  const points = Array.from({ length: n }, (_, i) => {
    const N = runs.params[i]!;
    const D = runs.tokens[i]!;
    return {
      params: N,
      tokens: D,
      compute: 6 * N * D,
      loss: runs.loss[i]!,
      fitted: chinchillaLoss(params, N, D),
      used: used.has(i),
    };
  });
  const resolution = options.resolution ?? 50;
  const minD = Math.min(...points.map((p) => p.tokens));
  const maxD = Math.max(...points.map((p) => p.tokens));
  const sizes =
    options.sliceParams ??
    (() => {
      const minN = Math.min(...points.map((p) => p.params));
      const maxN = Math.max(...points.map((p) => p.params));
      return logspace(minN, maxN, 4);
    })();
  const tokenGrid = logspace(minD, maxD, resolution);
  const slices = sizes.map((N) => ({
    params: N,
    tokens: tokenGrid,
    loss: tokenGrid.map((D) => chinchillaLoss(params, N, D)),
  }));
  const minC = Math.min(...points.map((p) => p.compute));
  const maxC = Math.max(...points.map((p) => p.compute));
  const compute = logspace(minC, options.extrapolateTo ?? maxC * 100, resolution);
  const optimal = compute.map((c) => computeOptimal(params, c));
  const frontier: ChinchillaPlotData['frontier'] = {
    compute,
    params: optimal.map((o) => o.params),
    tokens: optimal.map((o) => o.tokens),
    loss: optimal.map((o) => o.loss),
  };
  const boot = options.bootstrap;
  if (boot) {
    const tail = (1 - boot.level) / 2;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const c of compute) {
      const losses = Float64Array.from(
        boot.samples,
        (s) => computeOptimal({ E: s[0]!, A: s[1]!, B: s[2]!, alpha: s[3]!, beta: s[4]! }, c).loss,
      ).sort();
      lower.push(quantile(losses, tail));
      upper.push(quantile(losses, 1 - tail));
    }
    Object.assign(frontier, { lower, upper, level: boot.level });
  }
  return { points, slices, frontier };
}
