/** Maps data values to pixels on one axis; `log` axes take positive values only. */
export interface Scale {
  (value: number): number;
  readonly ticks: readonly number[];
  readonly log: boolean;
}

function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  tickCount = 5,
): Scale {
  let [low, high] = domain;
  if (high === low) {
    low -= 0.5;
    high += 0.5;
  }
  const step = niceStep(high - low, tickCount);
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  const map = (value: number) => range[0] + ((value - low) / (high - low)) * (range[1] - range[0]);
  return Object.assign(map, { ticks, log: false });
}

export function logScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const low = Math.log10(domain[0]);
  const high = Math.log10(domain[1] === domain[0] ? domain[0] * 10 : domain[1]);
  const ticks: number[] = [];
  // Within about a decade, powers of ten alone leave the axis bare: add the 2× and 5× marks.
  const multiples = high - low < 1.5 ? [1, 2, 5] : [1];
  for (let e = Math.floor(low); e <= Math.ceil(high); e++) {
    for (const m of multiples) {
      const tick = m * 10 ** e;
      const position = Math.log10(tick);
      if (position >= low - 1e-9 && position <= high + 1e-9) ticks.push(Number(tick.toPrecision(12)));
    }
  }
  const map = (value: number) =>
    range[0] + ((Math.log10(value) - low) / (high - low)) * (range[1] - range[0]);
  return Object.assign(map, { ticks, log: true });
}

/** The [min, max] of finite values, widened by `pad` of the span on each side. */
export function extent(values: Iterable<number>, pad = 0): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low > high) return [0, 1];
  const span = high - low || Math.abs(high) || 1;
  return [low - pad * span, high + pad * span];
}

/** Multiplies a positive extent by `factor` outward, for log axes. */
export function logExtent(values: Iterable<number>, factor = 1.2): [number, number] {
  const positive = [...values].filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return [1, 10];
  return [Math.min(...positive) / factor, Math.max(...positive) * factor];
}

export function formatTick(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) {
    const exponent = Math.floor(Math.log10(magnitude));
    const mantissa = value / 10 ** exponent;
    return Math.abs(mantissa - 1) < 1e-9 ? `1e${exponent}` : `${mantissa.toFixed(1)}e${exponent}`;
  }
  return String(Number(value.toPrecision(4)));
}
