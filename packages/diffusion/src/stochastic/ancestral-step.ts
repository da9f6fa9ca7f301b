/**
 * k-diffusion `get_ancestral_step` in VE sigma from `sigma` to `sigmaNext`: the noise amplitude `up`
 * (capped at sigmaNext, scaled by eta) and the deterministic target `down`, with up² + down² = sigmaNext².
 */
export function ancestralStep(sigma: number, sigmaNext: number, eta: number): { up: number; down: number } {
  const sn = sigmaNext;
  const up = Math.min(sn, eta * Math.sqrt((sn * sn * (sigma * sigma - sn * sn)) / (sigma * sigma)));
  return { up, down: Math.sqrt(sn * sn - up * up) };
}
