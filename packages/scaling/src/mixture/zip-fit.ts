import { gzipSync } from 'node:zlib';
import { scalingError } from '../errors.js';

const encoder = new TextEncoder();

function compressedLength(bytes: Uint8Array): number {
  return gzipSync(bytes, { level: 9 }).length;
}

/** Normalised compression distance [C(x⊕t) − min(C(x), C(t))]/max(C(x), C(t)) with C = gzip length. */
export function normalizedCompressionDistance(x: string, t: string): number {
  const bx = encoder.encode(x);
  const bt = encoder.encode(t);
  return ncdFromLengths(compressedLength(bx), compressedLength(bt), compressedLength(concat(bx, bt)));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function ncdFromLengths(cx: number, ct: number, cxt: number): number {
  return (cxt - Math.min(cx, ct)) / Math.max(cx, ct);
}

export interface ZipFitScore {
  /** Index into the candidate list. */
  readonly index: number;
  /** Mean over targets of 1 − NCD(candidate, target): higher is more aligned. */
  readonly alignment: number;
}

/**
 * ZIP-FIT (Obbad et al. 2024): rank candidates by their mean gzip alignment with a target set and keep the
 * top-k. Cost is |candidates|·|targets| compressions, so subsample large target sets first.
 */
export function zipFit(
  candidates: readonly string[],
  targets: readonly string[],
  topK = candidates.length,
): ZipFitScore[] {
  if (targets.length === 0) throw scalingError('E_INPUT', 'ZIP-FIT needs at least one target text');
  if (!(Number.isInteger(topK) && topK > 0))
    throw scalingError('E_INPUT', `topK = ${topK} must be a positive integer`);
  const targetBytes = targets.map((t) => encoder.encode(t));
  const targetLengths = targetBytes.map(compressedLength);
  const scores = candidates.map((text, index) => {
    const bx = encoder.encode(text);
    const cx = compressedLength(bx);
    let total = 0;
    targetBytes.forEach((bt, j) => {
      total += 1 - ncdFromLengths(cx, targetLengths[j]!, compressedLength(concat(bx, bt)));
    });
    return { index, alignment: total / targets.length };
  });
  // Ties keep input order (stable sort), so results are deterministic.
  return scores.sort((a, b) => b.alignment - a.alignment).slice(0, topK);
}
