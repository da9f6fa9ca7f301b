import { parseOptions } from '@modelsmith/core-tensor';
import { evalError, PACKAGE } from '../errors.js';
import type { FitOptions, StrengthFit } from './bradley-terry.js';
import { fitOptionsSchema } from './bradley-terry.js';
import { requireStronglyConnected } from './comparison-graph.js';
import { checkScoreMatrix, type ScoreMatrix } from './to-pairwise.js';

/** One sample's ordering: tiers of model indices, best tier first; models in a tier are tied. */
export type Ranking = readonly (readonly number[])[];

/**
 * ONEBench sample-level rankings: for each sample, the measured models grouped by equal score, best first.
 * Samples with fewer than two measured models or a single tier carry no ordering and are skipped.
 */
export function rankingsFromScores(
  scores: ScoreMatrix,
  options: { higherIsBetter?: boolean } = {},
): Ranking[] {
  const m = checkScoreMatrix(scores);
  const sign = options.higherIsBetter === false ? -1 : 1;
  const out: Ranking[] = [];
  for (let s = 0; s < m; s++) {
    const measured: number[] = [];
    for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i]![s]!)) measured.push(i);
    if (measured.length < 2) continue;
    measured.sort((a, b) => sign * (scores[b]![s]! - scores[a]![s]!));
    const tiers: number[][] = [];
    let last = Number.NaN;
    for (const i of measured) {
      const v = scores[i]![s]!;
      if (tiers.length > 0 && v === last) tiers[tiers.length - 1]!.push(i);
      else tiers.push([i]);
      last = v;
    }
    if (tiers.length > 1) out.push(tiers);
  }
  return out;
}

/** Choice events in CSR form: event e has winners `winnerCount[e]` chosen from set members[offset[e]..offset[e+1]). */
interface Events {
  offsets: Int32Array;
  members: Int32Array;
  winners: Int32Array;
  winnerOffsets: Int32Array;
  weight: Float64Array;
}

function buildEvents(rankings: readonly Ranking[], n: number, alpha: number): Events {
  const offsets: number[] = [0];
  const members: number[] = [];
  const winners: number[] = [];
  const winnerOffsets: number[] = [0];
  const weight: number[] = [];
  rankings.forEach((ranking, r) => {
    const seen = new Set<number>();
    for (const tier of ranking) {
      for (const i of tier) {
        if (!Number.isInteger(i) || i < 0 || i >= n)
          throw evalError('E_INPUT', `rankings[${r}] names model ${i}, outside 0..${n - 1}`);
        if (seen.has(i)) throw evalError('E_INPUT', `rankings[${r}] lists model ${i} twice`);
        seen.add(i);
      }
    }
    // Stage t: each member of tier t is chosen from tiers t..end (Breslow handling of ties); the last tier
    // carries no ordering information and is skipped.
    for (let t = 0; t < ranking.length - 1; t++) {
      for (let u = t; u < ranking.length; u++) for (const i of ranking[u]!) members.push(i);
      offsets.push(members.length);
      for (const i of ranking[t]!) winners.push(i);
      winnerOffsets.push(winners.length);
      weight.push(1);
    }
  });
  if (alpha > 0) {
    // Regularization: α pseudo-comparisons each way for every pair.
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        members.push(i, j);
        offsets.push(members.length);
        winners.push(i);
        winnerOffsets.push(winners.length);
        weight.push(alpha);
      }
    }
  }
  return {
    offsets: Int32Array.from(offsets),
    members: Int32Array.from(members),
    winners: Int32Array.from(winners),
    winnerOffsets: Int32Array.from(winnerOffsets),
    weight: Float64Array.from(weight),
  };
}

/**
 * Plackett–Luce maximum likelihood over (partial, tied, incomplete) rankings by Hunter's (2004) MM algorithm:
 * γ_i ← w_i / Σ_events∋i (#winners · weight / Σ_{k∈set} γ_k). Missing models simply do not appear.
 */
export function fitPlackettLuce(
  rankings: readonly Ranking[],
  nModels: number,
  options: FitOptions = {},
  names?: readonly string[],
): StrengthFit {
  const { alpha, maxIterations, tolerance } = parseOptions(
    PACKAGE,
    'fitPlackettLuce options',
    fitOptionsSchema,
    options,
  );
  if (!Number.isInteger(nModels) || nModels < 2)
    throw evalError('E_INPUT', `nModels must be an integer ≥ 2, got ${nModels}`);
  const n = nModels;
  const ev = buildEvents(rankings, n, alpha);
  const E = ev.weight.length;
  if (E === 0) throw evalError('E_INPUT', 'no ranking carries any ordering information (need ≥ 2 tiers)');
  const winCount = new Float64Array(n);
  for (let e = 0; e < E; e++) {
    for (let k = ev.winnerOffsets[e]!; k < ev.winnerOffsets[e + 1]!; k++)
      winCount[ev.winners[k]!] = winCount[ev.winners[k]!]! + ev.weight[e]!;
  }
  if (alpha === 0) {
    // i → j when i was chosen over j at some stage.
    const adjacency = Array.from({ length: n }, () => new Set<number>());
    for (let e = 0; e < E; e++) {
      for (let k = ev.winnerOffsets[e]!; k < ev.winnerOffsets[e + 1]!; k++) {
        const i = ev.winners[k]!;
        for (let m = ev.offsets[e]!; m < ev.offsets[e + 1]!; m++)
          if (ev.members[m] !== i) adjacency[i]!.add(ev.members[m]!);
      }
    }
    requireStronglyConnected(n, (i) => adjacency[i]!, names);
  }
  let gamma = new Float64Array(n).fill(1);
  const denominator = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    denominator.fill(0);
    for (let e = 0; e < E; e++) {
      const start = ev.offsets[e]!;
      const end = ev.offsets[e + 1]!;
      let setSum = 0;
      for (let m = start; m < end; m++) setSum += gamma[ev.members[m]!]!;
      const contribution = ((ev.winnerOffsets[e + 1]! - ev.winnerOffsets[e]!) * ev.weight[e]!) / setSum;
      for (let m = start; m < end; m++)
        denominator[ev.members[m]!] = denominator[ev.members[m]!]! + contribution;
    }
    const next = new Float64Array(n);
    let logMean = 0;
    for (let i = 0; i < n; i++) {
      next[i] = winCount[i]! / denominator[i]!;
      logMean += Math.log(next[i]!);
    }
    logMean /= n;
    let change = 0;
    for (let i = 0; i < n; i++) {
      next[i] = next[i]! * Math.exp(-logMean);
      change = Math.max(change, Math.abs(Math.log(next[i]!) - Math.log(gamma[i]!)));
    }
    gamma = next;
    if (!Number.isFinite(change))
      throw evalError('E_NUMERIC', 'Plackett–Luce strengths diverged; pass alpha > 0');
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return { logStrengths: Array.from(gamma, (v) => Math.log(v)), iterations, converged };
}
