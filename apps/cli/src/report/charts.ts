import { extent, formatTick, linearScale, logExtent, logScale, type Scale } from './scale.js';
import { element, escapeXml, PALETTE, polyline, text } from './svg.js';

const WIDTH = 640;
const MARGIN = { top: 16, right: 150, bottom: 44, left: 64 };

function frame(height: number, title: string, body: string[]): string {
  return element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${WIDTH} ${height}`,
      width: WIDTH,
      height,
      role: 'img',
      'aria-label': title,
      class: 'chart-svg',
      'font-family': 'system-ui, sans-serif',
      'font-size': 11,
    },
    `<title>${escapeXml(title)}</title>`,
    ...body,
  );
}

function axes(x: Scale, y: Scale, height: number, xLabel: string, yLabel: string): string[] {
  const bottom = height - MARGIN.bottom;
  const right = WIDTH - MARGIN.right;
  const parts = [
    element('line', { x1: MARGIN.left, y1: bottom, x2: right, y2: bottom, stroke: '#444' }),
    element('line', { x1: MARGIN.left, y1: MARGIN.top, x2: MARGIN.left, y2: bottom, stroke: '#444' }),
    text((MARGIN.left + right) / 2, height - 8, xLabel, { 'text-anchor': 'middle' }),
    text(14, (MARGIN.top + bottom) / 2, yLabel, {
      'text-anchor': 'middle',
      transform: `rotate(-90 14 ${(MARGIN.top + bottom) / 2})`,
    }),
  ];
  for (const tick of x.ticks) {
    const px = x(tick);
    parts.push(element('line', { x1: px, y1: bottom, x2: px, y2: bottom + 4, stroke: '#444' }));
    parts.push(text(px, bottom + 16, formatTick(tick), { 'text-anchor': 'middle' }));
  }
  for (const tick of y.ticks) {
    const py = y(tick);
    parts.push(element('line', { x1: MARGIN.left, y1: py, x2: right, y2: py, stroke: '#eee' }));
    parts.push(text(MARGIN.left - 6, py + 4, formatTick(tick), { 'text-anchor': 'end' }));
  }
  return parts;
}

function legend(names: readonly string[], colors: readonly string[]): string[] {
  return names.map((name, index) => {
    const y = MARGIN.top + 8 + index * 16;
    const x = WIDTH - MARGIN.right + 12;
    return (
      element('rect', { x, y: y - 8, width: 10, height: 10, fill: colors[index % colors.length]! }) +
      text(x + 16, y + 1, name)
    );
  });
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
  readonly markers?: boolean;
  /** A shaded interval around the series, e.g. a prediction band. */
  readonly band?: readonly { x: number; low: number; high: number }[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly LineSeries[];
  readonly xLog?: boolean;
  readonly yLog?: boolean;
  readonly height?: number;
}

/** Lines with optional markers and bands, on linear or log axes. */
export function lineChart(options: LineChartOptions): string {
  const height = options.height ?? 320;
  const xs = options.series.flatMap((s) => [...s.points.map((p) => p[0]), ...(s.band ?? []).map((b) => b.x)]);
  const ys = options.series.flatMap((s) => [
    ...s.points.map((p) => p[1]),
    ...(s.band ?? []).flatMap((b) => [b.low, b.high]),
  ]);
  const xRange: [number, number] = [MARGIN.left, WIDTH - MARGIN.right];
  const yRange: [number, number] = [height - MARGIN.bottom, MARGIN.top];
  const x = options.xLog ? logScale(logExtent(xs, 1.1), xRange) : linearScale(extent(xs, 0.02), xRange);
  const y = options.yLog ? logScale(logExtent(ys, 1.3), yRange) : linearScale(extent(ys, 0.05), yRange);
  const body = axes(x, y, height, options.xLabel, options.yLabel);
  options.series.forEach((series, index) => {
    const color = PALETTE[index % PALETTE.length]!;
    if (series.band && series.band.length > 1) {
      const upper = series.band.map((b) => `${x(b.x)},${y(b.high)}`);
      const lower = [...series.band].reverse().map((b) => `${x(b.x)},${y(b.low)}`);
      body.push(
        element('polygon', { points: [...upper, ...lower].join(' '), fill: color, 'fill-opacity': 0.15 }),
      );
    }
    const points = series.points.filter(([px, py]) => (!options.xLog || px > 0) && (!options.yLog || py > 0));
    body.push(
      polyline(
        points.map(([px, py]) => [x(px), y(py)]),
        {
          stroke: color,
          'stroke-width': 2,
          'stroke-dasharray': series.dashed ? '5 4' : undefined,
          class: 'series',
        },
      ),
    );
    if (series.markers) {
      for (const [px, py] of points)
        body.push(element('circle', { cx: x(px), cy: y(py), r: 3, fill: color }));
    }
  });
  body.push(
    ...legend(
      options.series.map((s) => s.name),
      PALETTE,
    ),
  );
  return frame(height, options.title, body);
}

export interface IntervalItem {
  readonly label: string;
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly note?: string;
}

/** One row per item: a point estimate with its confidence interval (horizontal). */
export function intervalChart(options: {
  title: string;
  xLabel: string;
  items: readonly IntervalItem[];
}): string {
  const rowHeight = 24;
  const height = MARGIN.top + MARGIN.bottom + rowHeight * options.items.length;
  const left = 150;
  const right = WIDTH - 150;
  const x = linearScale(
    extent(
      options.items.flatMap((item) => [item.low, item.high]),
      0.05,
    ),
    [left, right],
  );
  const bottom = height - MARGIN.bottom;
  const body: string[] = [element('line', { x1: left, y1: bottom, x2: right, y2: bottom, stroke: '#444' })];
  for (const tick of x.ticks) {
    body.push(element('line', { x1: x(tick), y1: MARGIN.top, x2: x(tick), y2: bottom, stroke: '#eee' }));
    body.push(text(x(tick), bottom + 16, formatTick(tick), { 'text-anchor': 'middle' }));
  }
  body.push(text((left + right) / 2, height - 8, options.xLabel, { 'text-anchor': 'middle' }));
  options.items.forEach((item, index) => {
    const cy = MARGIN.top + rowHeight * (index + 0.5);
    body.push(text(left - 8, cy + 4, item.label, { 'text-anchor': 'end' }));
    body.push(
      element('line', {
        x1: x(item.low),
        y1: cy,
        x2: x(item.high),
        y2: cy,
        stroke: PALETTE[0]!,
        'stroke-width': 2,
      }),
    );
    body.push(element('circle', { cx: x(item.estimate), cy, r: 4, fill: PALETTE[1]!, class: 'series' }));
    if (item.note) body.push(text(right + 8, cy + 4, item.note));
  });
  return frame(height, options.title, body);
}

/** A task × model grid of values in [0, 1], coloured from white to blue, with the value printed. */
export function heatmapChart(options: {
  title: string;
  rows: readonly string[];
  columns: readonly string[];
  values: readonly (readonly number[])[];
}): string {
  const cellWidth = Math.min(64, (WIDTH - 120) / options.columns.length);
  const cellHeight = 26;
  const left = 110;
  const top = 90;
  const height = top + cellHeight * options.rows.length + 10;
  const body: string[] = [];
  options.columns.forEach((column, c) => {
    const cx = left + cellWidth * (c + 0.5);
    body.push(text(cx, top - 6, column, { transform: `rotate(-40 ${cx} ${top - 6})` }));
  });
  options.rows.forEach((row, r) => {
    const y = top + cellHeight * r;
    body.push(text(left - 6, y + cellHeight / 2 + 4, row, { 'text-anchor': 'end' }));
    options.columns.forEach((_, c) => {
      const value = options.values[r]?.[c] ?? Number.NaN;
      const shade = Number.isFinite(value) ? Math.max(0, Math.min(1, value)) : 0;
      const fill = `rgb(${Math.round(255 - 200 * shade)},${Math.round(255 - 130 * shade)},255)`;
      body.push(
        element('rect', {
          x: left + cellWidth * c,
          y,
          width: cellWidth - 1,
          height: cellHeight - 1,
          fill,
          class: 'series',
        }),
      );
      body.push(
        text(
          left + cellWidth * (c + 0.5),
          y + cellHeight / 2 + 4,
          Number.isFinite(value) ? value.toFixed(3) : '–',
          {
            'text-anchor': 'middle',
            fill: shade > 0.6 ? '#fff' : '#000',
          },
        ),
      );
    });
  });
  return frame(height, options.title, body);
}

/** Accuracy against confidence per bin, bars sized by count, with the diagonal of perfect calibration. */
export function reliabilityChart(options: {
  title: string;
  bins: readonly { confidence: number; accuracy: number; count: number; low: number; high: number }[];
}): string {
  const height = 320;
  const x = linearScale([0, 1], [MARGIN.left, WIDTH - MARGIN.right]);
  const y = linearScale([0, 1], [height - MARGIN.bottom, MARGIN.top]);
  const body = axes(x, y, height, 'confidence', 'accuracy');
  body.push(
    polyline(
      [
        [x(0), y(0)],
        [x(1), y(1)],
      ],
      { stroke: '#999', 'stroke-dasharray': '4 4' },
    ),
  );
  for (const bin of options.bins) {
    if (bin.count === 0) continue;
    body.push(
      element('rect', {
        x: x(bin.low) + 1,
        y: y(bin.accuracy),
        width: Math.max(1, x(bin.high) - x(bin.low) - 2),
        height: y(0) - y(bin.accuracy),
        fill: PALETTE[0]!,
        'fill-opacity': 0.6,
        class: 'series',
      }),
    );
    body.push(element('circle', { cx: x(bin.confidence), cy: y(bin.confidence), r: 3, fill: PALETTE[1]! }));
  }
  body.push(...legend(['accuracy per bin', 'mean confidence'], [PALETTE[0]!, PALETTE[1]!]));
  return frame(height, options.title, body);
}

/** Vertical bars with an optional horizontal reference line (e.g. a coverage target). */
export function barChart(options: {
  title: string;
  yLabel: string;
  bars: readonly { label: string; value: number }[];
  reference?: { value: number; label: string };
  yDomain?: readonly [number, number];
}): string {
  const height = 300;
  const left = MARGIN.left;
  const right = WIDTH - MARGIN.right;
  const values = options.bars.map((bar) => bar.value);
  const y = linearScale(options.yDomain ?? [0, Math.max(...values, options.reference?.value ?? 0) * 1.1], [
    height - MARGIN.bottom,
    MARGIN.top,
  ]);
  const band = (right - left) / options.bars.length;
  const body: string[] = [
    element('line', { x1: left, y1: y(y.ticks[0] ?? 0), x2: right, y2: y(y.ticks[0] ?? 0), stroke: '#444' }),
  ];
  for (const tick of y.ticks) {
    body.push(element('line', { x1: left, y1: y(tick), x2: right, y2: y(tick), stroke: '#eee' }));
    body.push(text(left - 6, y(tick) + 4, formatTick(tick), { 'text-anchor': 'end' }));
  }
  const floor = y(options.yDomain?.[0] ?? 0);
  options.bars.forEach((bar, index) => {
    const x = left + band * index;
    body.push(
      element('rect', {
        x: x + band * 0.15,
        y: y(bar.value),
        width: band * 0.7,
        height: Math.max(0, floor - y(bar.value)),
        fill: PALETTE[0]!,
        class: 'series',
      }),
    );
    body.push(text(x + band / 2, height - MARGIN.bottom + 16, bar.label, { 'text-anchor': 'middle' }));
    body.push(text(x + band / 2, y(bar.value) - 4, formatTick(bar.value), { 'text-anchor': 'middle' }));
  });
  if (options.reference) {
    const ry = y(options.reference.value);
    body.push(
      element('line', { x1: left, y1: ry, x2: right, y2: ry, stroke: '#c00', 'stroke-dasharray': '6 3' }),
    );
    body.push(text(right + 6, ry + 4, options.reference.label, { fill: '#c00' }));
  }
  body.push(
    text(14, (MARGIN.top + height - MARGIN.bottom) / 2, options.yLabel, {
      'text-anchor': 'middle',
      transform: `rotate(-90 14 ${(MARGIN.top + height - MARGIN.bottom) / 2})`,
    }),
  );
  return frame(height, options.title, body);
}
