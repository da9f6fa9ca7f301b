import type { KeyedRandom } from '@modelsmith/core-tensor';

/**
 * "New setting 1" of `gen_data_Jin2023` in the OptCS reference simulations (Tian-Bai/OptCS,
 * simulation/MSel/utils.py): X ~ U(−1,1)^dim, μ(x) = 0.5·1{x₀x₁ > 0} + x₃ + 1{x₀x₁ ≤ 0},
 * Y = μ(x) + 2σ·N(0,1). Draw i uses stream indices i·(dim+1) … i·(dim+1)+dim.
 */
export function jin2023Setting1(random: KeyedRandom, i: number, sigma = 0.5, dim = 20) {
  const base = i * (dim + 1);
  const x = Array.from({ length: dim }, (_, d) => 2 * random.uniform(base + d) - 1);
  const interact = x[0]! * x[1]! > 0;
  const mu = (interact ? 0.5 : 0) + x[3]! + (interact ? 0 : 1);
  return { x, mu, y: mu + 2 * sigma * random.normal(base + dim) };
}
