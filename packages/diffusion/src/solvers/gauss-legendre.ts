/** Nodes and weights of n-point Gauss–Legendre quadrature on [-1, 1] (Newton on P_n). */
function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * dp * dp));
  }
  return { nodes, weights };
}

const RULE = gaussLegendre(12);

/** ∫_a^b f by composite 12-point Gauss–Legendre on `panels` equal panels (exact for degree ≤ 23 per panel). */
export function integrate(f: (x: number) => number, a: number, b: number, panels = 4): number {
  const w = (b - a) / panels;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const lo = a + p * w;
    for (let i = 0; i < RULE.nodes.length; i++) {
      sum += RULE.weights[i]! * f(lo + 0.5 * w * (RULE.nodes[i]! + 1));
    }
  }
  return 0.5 * w * sum;
}

/** Lagrange basis polynomial j over `nodes`, evaluated at x. */
export function lagrangeBasis(nodes: readonly number[], j: number, x: number): number {
  let v = 1;
  for (let k = 0; k < nodes.length; k++) if (k !== j) v *= (x - nodes[k]!) / (nodes[j]! - nodes[k]!);
  return v;
}
