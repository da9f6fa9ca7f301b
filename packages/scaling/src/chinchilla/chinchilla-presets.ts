import type { ChinchillaParams } from './chinchilla-params.js';

/**
 * Published parameter sets (spec §1.2–1.3):
 * - `hoffmann`: the rounded values in the body of Hoffmann et al. (2022);
 * - `hoffmann-tex`: the un-rounded values from the paper's TeX source (log A, log B, log E given);
 * - `epoch`: Besiroglu et al. (2024), Huber-likelihood refit of the digitised data.
 */
export const chinchillaPresets = {
  hoffmann: { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 },
  'hoffmann-tex': {
    E: Math.exp(0.5267228),
    A: Math.exp(6.0073404),
    B: Math.exp(6.0179186),
    alpha: 0.33917084,
    beta: 0.2849083,
  },
  epoch: { E: 1.817, A: 482.01, B: 2085.43, alpha: 0.3478, beta: 0.3658 },
} as const satisfies Record<string, ChinchillaParams>;

export type ChinchillaPresetName = keyof typeof chinchillaPresets;
