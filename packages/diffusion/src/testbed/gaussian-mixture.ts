import { parseOptions } from '@modelsmith/core-tensor';
import { z } from 'zod';
import { PACKAGE_NAME } from '../errors.js';

const schema = z
  .object({
    weights: z.array(z.number().positive()).min(1),
    means: z.array(z.array(z.number())).min(1),
    stds: z.array(z.array(z.number().nonnegative())).min(1),
  })
  .superRefine((m, ctx) => {
    const k = m.weights.length;
    const d = m.means[0]?.length ?? 0;
    if (d < 1)
      ctx.addIssue({ code: 'custom', message: 'means must have at least one coordinate', path: ['means'] });
    if (m.means.length !== k || m.stds.length !== k) {
      ctx.addIssue({
        code: 'custom',
        message: `weights, means and stds need the same number of components (${k})`,
      });
    }
    m.means.forEach((mu, i) => {
      if (mu.length !== d)
        ctx.addIssue({ code: 'custom', message: `means[${i}] must have ${d} entries`, path: ['means', i] });
    });
    m.stds.forEach((s, i) => {
      if (s.length !== d)
        ctx.addIssue({ code: 'custom', message: `stds[${i}] must have ${d} entries`, path: ['stds', i] });
    });
  });

/** A diagonal Gaussian mixture `sum_k pi_k N(mu_k, diag(std_k^2))`; weights are normalised. */
export interface GaussianMixture {
  readonly dim: number;
  readonly weights: Float64Array;
  /** K × d, row-major. */
  readonly means: Float64Array;
  readonly stds: Float64Array;
}

export type GaussianMixtureInput = z.input<typeof schema>;

export function createGaussianMixture(input: GaussianMixtureInput): GaussianMixture {
  const m = parseOptions(PACKAGE_NAME, 'Gaussian mixture', schema, input);
  const total = m.weights.reduce((a, b) => a + b, 0);
  return {
    dim: m.means[0]!.length,
    weights: Float64Array.from(m.weights, (w) => w / total),
    means: Float64Array.from(m.means.flat()),
    stds: Float64Array.from(m.stds.flat()),
  };
}

/** The G2 mixture of the spec (§6.3): d = 2, K = 3. */
export function mixtureG2(): GaussianMixture {
  return createGaussianMixture({
    weights: [0.5, 0.3, 0.2],
    means: [
      [-1.5, 0],
      [1.5, 0.5],
      [0, -1.5],
    ],
    stds: [
      [0.3, 0.6],
      [0.5, 0.2],
      [0.4, 0.4],
    ],
  });
}

/** The G8 mixture of the spec: d = 8, K = 4, `mu_k[i] = 1.2 cos(pi (k+1)(i+1)/5)`, `std = 0.2 + 0.1((i+k) mod 4)`. */
export function mixtureG8(): GaussianMixture {
  const means: number[][] = [];
  const stds: number[][] = [];
  for (let k = 0; k < 4; k++) {
    means.push(Array.from({ length: 8 }, (_, i) => 1.2 * Math.cos((Math.PI * (k + 1) * (i + 1)) / 5)));
    stds.push(Array.from({ length: 8 }, (_, i) => 0.2 + 0.1 * ((i + k) % 4)));
  }
  return createGaussianMixture({ weights: [0.4, 0.3, 0.2, 0.1], means, stds });
}
