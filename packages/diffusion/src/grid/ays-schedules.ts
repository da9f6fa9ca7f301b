/**
 * Align-Your-Steps 10-step tables as shipped in diffusers (`AysSchedules`, `scheduling_utils.py`):
 * integer timesteps (T = 1000) and VE sigmas ending in 0.
 */
export const AYS_SCHEDULES = {
  stableDiffusionTimesteps: [999, 850, 736, 645, 545, 455, 343, 233, 124, 24],
  stableDiffusionSigmas: [14.615, 6.475, 3.861, 2.697, 1.886, 1.396, 0.963, 0.652, 0.399, 0.152, 0.0],
  stableDiffusionXLTimesteps: [999, 845, 730, 587, 443, 310, 193, 116, 53, 13],
  stableDiffusionXLSigmas: [14.615, 6.315, 3.771, 2.181, 1.342, 0.862, 0.555, 0.38, 0.234, 0.113, 0.0],
  stableDiffusionVideoSigmas: [700.0, 54.5, 15.886, 7.977, 4.248, 1.789, 0.981, 0.403, 0.173, 0.034, 0.0],
} as const satisfies Record<string, readonly number[]>;
