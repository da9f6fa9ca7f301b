import { linalgError } from './dense-matrix.js';

/**
 * Eigen-decomposition of a symmetric n×n matrix (column-major `symmetric`, overwritten): Householder
 * tridiagonalisation then the implicit QL algorithm (EISPACK tred2/tql2, as in JAMA), on a flat
 * column-major array so the rotation loops stream memory. Returns ascending values and the
 * eigenvectors as the columns of `vectors` (column-major: vector j is vectors[j*n .. j*n+n)).
 */
export function tridiagonalQlEigen(
  symmetric: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const V = symmetric; // V(r, c) = V[c * n + r]
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n === 0) return { values: d, vectors: V };

  // tred2: reduce to tridiagonal form, accumulating the orthogonal transform in V.
  for (let j = 0; j < n; j++) d[j] = V[j * n + n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = V[j * n + i - 1]!;
        V[j * n + i] = 0;
        V[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] = d[k]! / scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        V[i * n + j] = f;
        g = e[j]! + V[j * n + j]! * f;
        const cj = j * n;
        for (let k = j + 1; k <= i - 1; k++) {
          g += V[cj + k]! * d[k]!;
          e[k] = e[k]! + V[cj + k]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] = e[j]! / h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] = e[j]! - hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        const cj = j * n;
        for (let k = j; k <= i - 1; k++) V[cj + k] = V[cj + k]! - (f * e[k]! + g * d[k]!);
        d[j] = V[cj + i - 1]!;
        V[cj + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    V[i * n + n - 1] = V[i * n + i]!;
    V[i * n + i] = 1;
    const h = d[i + 1]!;
    const ci1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = V[ci1 + k]! / h;
      for (let j = 0; j <= i; j++) {
        const cj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += V[ci1 + k]! * V[cj + k]!;
        for (let k = 0; k <= i; k++) V[cj + k] = V[cj + k]! - g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) V[ci1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = V[j * n + n - 1]!;
    V[j * n + n - 1] = 0;
  }
  V[(n - 1) * n + n - 1] = 1;
  e[0] = 0;

  // tql2: implicit QL iterations on the tridiagonal matrix.
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  const maxIterations = 60 * n + 100;
  let iterations = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        if (++iterations > maxIterations) {
          throw linalgError(
            'E_NUMERIC',
            `symmetricEigen: no convergence after ${maxIterations} QL steps (n = ${n})`,
          );
        }
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          const ci = i * n;
          const ci1 = ci + n;
          for (let k = 0; k < n; k++) {
            const t = V[ci1 + k]!;
            V[ci1 + k] = s * V[ci + k]! + c * t;
            V[ci + k] = c * V[ci + k]! - s * t;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }

  // Selection sort ascending, moving the vectors along (n swaps at most).
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      for (let r = 0; r < n; r++) {
        const t = V[i * n + r]!;
        V[i * n + r] = V[k * n + r]!;
        V[k * n + r] = t;
      }
    }
  }
  return { values: d, vectors: V };
}
