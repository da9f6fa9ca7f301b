/** Escapes text for HTML and SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

type Attributes = Record<string, string | number | undefined>;

function attributes(values: Attributes): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(
      ([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? String(round(value)) : value!)}"`,
    )
    .join('');
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** One SVG element; children are already-rendered strings. */
export function element(name: string, attrs: Attributes, ...children: string[]): string {
  return children.length === 0
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${children.join('')}</${name}>`;
}

export function text(x: number, y: number, content: string, attrs: Attributes = {}): string {
  return `<text${attributes({ x, y, ...attrs })}>${escapeXml(content)}</text>`;
}

export function polyline(points: readonly (readonly [number, number])[], attrs: Attributes): string {
  return element('polyline', {
    points: points.map(([x, y]) => `${round(x)},${round(y)}`).join(' '),
    fill: 'none',
    ...attrs,
  });
}

/** A categorical palette that stays readable for colour-blind viewers (Okabe–Ito). */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#F0E442',
  '#000000',
];
