import { createRandom } from '@modelsmith/core-tensor';

/** A fitted regressor from feature rows to a scalar. */
export interface Regressor {
  predict(row: ArrayLike<number>): number;
}

interface TreeNode {
  feature: number;
  threshold: number;
  left: TreeNode | number;
  right: TreeNode | number;
}

export interface GradientBoostingOptions {
  /** Boosting rounds (max; early stopping may stop sooner). LightGBM in RegMix: up to 1,000. */
  readonly rounds?: number | undefined;
  /** Shrinkage (RegMix: 1e-2). */
  readonly learningRate?: number | undefined;
  readonly maxDepth?: number | undefined;
  readonly minLeaf?: number | undefined;
  /** Fraction of rows held out for early stopping (0 disables). */
  readonly validationFraction?: number | undefined;
  /** Stop after this many rounds without validation improvement (RegMix: 3). */
  readonly earlyStoppingRounds?: number | undefined;
  readonly seed?: number | undefined;
}

function buildTree(
  x: Float64Array,
  p: number,
  residual: Float64Array,
  rows: number[],
  depth: number,
  maxDepth: number,
  minLeaf: number,
): TreeNode | number {
  let sum = 0;
  for (const r of rows) sum += residual[r]!;
  const leaf = sum / rows.length;
  if (depth >= maxDepth || rows.length < 2 * minLeaf) return leaf;
  let bestGain = 0;
  let bestFeature = -1;
  let bestThreshold = 0;
  const total = sum;
  const n = rows.length;
  for (let f = 0; f < p; f++) {
    const sorted = [...rows].sort((a, b) => x[a * p + f]! - x[b * p + f]!);
    let leftSum = 0;
    for (let i = 0; i < n - 1; i++) {
      leftSum += residual[sorted[i]!]!;
      const left = i + 1;
      const xv = x[sorted[i]! * p + f]!;
      const xn = x[sorted[i + 1]! * p + f]!;
      if (left < minLeaf || n - left < minLeaf || xv === xn) continue;
      // Variance reduction: SSE drop = L²/nL + R²/nR − T²/n.
      const gain =
        (leftSum * leftSum) / left +
        ((total - leftSum) * (total - leftSum)) / (n - left) -
        (total * total) / n;
      if (gain > bestGain) {
        bestGain = gain;
        bestFeature = f;
        bestThreshold = 0.5 * (xv + xn);
      }
    }
  }
  if (bestFeature < 0) return leaf;
  const leftRows = rows.filter((r) => x[r * p + bestFeature]! <= bestThreshold);
  const rightRows = rows.filter((r) => x[r * p + bestFeature]! > bestThreshold);
  return {
    feature: bestFeature,
    threshold: bestThreshold,
    left: buildTree(x, p, residual, leftRows, depth + 1, maxDepth, minLeaf),
    right: buildTree(x, p, residual, rightRows, depth + 1, maxDepth, minLeaf),
  };
}

function evalTree(node: TreeNode | number, row: ArrayLike<number>): number {
  let current = node;
  while (typeof current !== 'number')
    current = row[current.feature]! <= current.threshold ? current.left : current.right;
  return current;
}

/**
 * Gradient-boosted regression trees on squared error (a small stand-in for RegMix's LightGBM): depth-limited
 * exact-split trees fitted to residuals, shrinkage, and early stopping on a seeded validation split.
 */
export function fitGradientBoosting(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  p: number,
  options: GradientBoostingOptions = {},
): Regressor & { readonly rounds: number } {
  const rounds = options.rounds ?? 1000;
  const lr = options.learningRate ?? 0.05;
  const maxDepth = options.maxDepth ?? 3;
  const minLeaf = options.minLeaf ?? 5;
  const n = y.length;
  const features = Float64Array.from(x);
  const rng = createRandom(options.seed ?? 0, 'gbdt-split');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rng.uniform(a) - rng.uniform(b));
  const validationCount = Math.floor((options.validationFraction ?? 0.1) * n);
  const valid = order.slice(0, validationCount);
  const train = order.slice(validationCount);
  let base = 0;
  for (const r of train) base += y[r]!;
  base /= train.length;
  const prediction = new Float64Array(n).fill(base);
  const residual = new Float64Array(n);
  const trees: (TreeNode | number)[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestRounds = 0;
  const patience = options.earlyStoppingRounds ?? 3;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < n; i++) residual[i] = y[i]! - prediction[i]!;
    const tree = buildTree(features, p, residual, train, 0, maxDepth, minLeaf);
    trees.push(tree);
    for (let i = 0; i < n; i++)
      prediction[i] = prediction[i]! + lr * evalTree(tree, features.subarray(i * p, i * p + p));
    if (valid.length > 0) {
      let loss = 0;
      for (const r of valid) loss += (y[r]! - prediction[r]!) ** 2;
      if (loss < bestLoss - 1e-15) {
        bestLoss = loss;
        bestRounds = trees.length;
      } else if (trees.length - bestRounds >= patience) break;
    } else bestRounds = trees.length;
  }
  const kept = trees.slice(0, bestRounds);
  return {
    rounds: kept.length,
    predict(row) {
      let v = base;
      for (const t of kept) v += lr * evalTree(t, row);
      return v;
    },
  };
}
