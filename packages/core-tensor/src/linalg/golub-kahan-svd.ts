import { type DenseMatrix, linalgError } from './dense-matrix.js';

/**
 * Golub–Kahan–Reinsch SVD of an m×n matrix with m ≥ n (the algorithm of JAMA / LINPACK dsvdc),
 * ported to flat Float64Arrays. Every matrix is stored transposed (one column per contiguous row)
 * so the Householder and Givens loops, which all run down columns, stream memory; this is several
 * times faster than ml-matrix's array-of-rows version of the same algorithm (see the README).
 * Returns economy factors: u is m×n, s has n values (descending, ≥ 0), v is n×n.
 */
export function golubKahanSvd(a: DenseMatrix): { u: DenseMatrix; s: Float64Array; v: DenseMatrix } {
  const m = a.rows;
  const n = a.cols;
  // At[j*m + i] = A[i][j]; Ut[j*m + i] = U[i][j]; Vt[j*n + i] = V[i][j].
  const At = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) At[j * m + i] = a.data[i * n + j]!;
  const nu = n;
  const s = new Float64Array(Math.min(m + 1, n));
  const Ut = new Float64Array(nu * m);
  const Vt = new Float64Array(n * n);
  const e = new Float64Array(n);
  const work = new Float64Array(m);

  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  for (let k = 0; k < Math.max(nct, nrt); k++) {
    const ck = k * m;
    if (k < nct) {
      // Householder transform zeroing column k below the diagonal; s[k] holds the diagonal.
      let norm = 0;
      for (let i = k; i < m; i++) norm = Math.hypot(norm, At[ck + i]!);
      s[k] = norm;
      if (norm !== 0) {
        if (At[ck + k]! < 0) s[k] = -norm;
        const sk = s[k]!;
        for (let i = k; i < m; i++) At[ck + i] = At[ck + i]! / sk;
        At[ck + k] = At[ck + k]! + 1;
      }
      s[k] = -s[k]!;
    }
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      if (k < nct && s[k] !== 0) {
        let t = 0;
        for (let i = k; i < m; i++) t += At[ck + i]! * At[cj + i]!;
        t = -t / At[ck + k]!;
        for (let i = k; i < m; i++) At[cj + i] = At[cj + i]! + t * At[ck + i]!;
      }
      e[j] = At[cj + k]!;
    }
    if (k < nct) {
      for (let i = k; i < m; i++) Ut[k * m + i] = At[ck + i]!;
    }
    if (k < nrt) {
      // Householder transform zeroing row k right of the super-diagonal; e[k] holds the super-diagonal.
      let norm = 0;
      for (let i = k + 1; i < n; i++) norm = Math.hypot(norm, e[i]!);
      e[k] = norm;
      if (norm !== 0) {
        if (e[k + 1]! < 0) e[k] = -norm;
        const ek = e[k]!;
        for (let i = k + 1; i < n; i++) e[i] = e[i]! / ek;
        e[k + 1] = e[k + 1]! + 1;
      }
      e[k] = -e[k]!;
      if (k + 1 < m && e[k] !== 0) {
        work.fill(0, k + 1, m);
        for (let j = k + 1; j < n; j++) {
          const ej = e[j]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) work[i] = work[i]! + ej * At[cj + i]!;
        }
        for (let j = k + 1; j < n; j++) {
          const t = -e[j]! / e[k + 1]!;
          const cj = j * m;
          for (let i = k + 1; i < m; i++) At[cj + i] = At[cj + i]! + t * work[i]!;
        }
      }
      for (let i = k + 1; i < n; i++) Vt[k * n + i] = e[i]!;
    }
  }

  // Set up the final bidiagonal matrix of order p.
  let p = Math.min(n, m + 1);
  if (nct < n) s[nct] = At[nct * m + nct]!;
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = At[(p - 1) * m + nrt]!;
  e[p - 1] = 0;

  // Generate U.
  for (let j = nct; j < nu; j++) {
    Ut.fill(0, j * m, (j + 1) * m);
    Ut[j * m + j] = 1;
  }
  for (let k = nct - 1; k >= 0; k--) {
    const ck = k * m;
    if (s[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * m;
        let t = 0;
        for (let i = k; i < m; i++) t += Ut[ck + i]! * Ut[cj + i]!;
        t = -t / Ut[ck + k]!;
        for (let i = k; i < m; i++) Ut[cj + i] = Ut[cj + i]! + t * Ut[ck + i]!;
      }
      for (let i = k; i < m; i++) Ut[ck + i] = -Ut[ck + i]!;
      Ut[ck + k] = 1 + Ut[ck + k]!;
      for (let i = 0; i < k - 1; i++) Ut[ck + i] = 0;
    } else {
      Ut.fill(0, ck, ck + m);
      Ut[ck + k] = 1;
    }
  }

  // Generate V.
  for (let k = n - 1; k >= 0; k--) {
    const ck = k * n;
    if (k < nrt && e[k] !== 0) {
      for (let j = k + 1; j < nu; j++) {
        const cj = j * n;
        let t = 0;
        for (let i = k + 1; i < n; i++) t += Vt[ck + i]! * Vt[cj + i]!;
        t = -t / Vt[ck + k + 1]!;
        for (let i = k + 1; i < n; i++) Vt[cj + i] = Vt[cj + i]! + t * Vt[ck + i]!;
      }
    }
    Vt.fill(0, ck, ck + n);
    Vt[ck + k] = 1;
  }

  // Main iteration loop for the singular values.
  const pp = p - 1;
  const eps = Number.EPSILON;
  const tiny = 2 ** -966;
  let iterations = 0;
  const maxIterations = 75 * Math.max(n, 1) + 100;
  while (p > 0) {
    let k: number;
    let kase: number;
    // kase 1: s[p-1] negligible; 2: s[k] negligible; 3: QR step; 4: e[p-2] negligible (converged).
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      if (Math.abs(e[k]!) <= tiny + eps * (Math.abs(s[k]!) + Math.abs(s[k + 1]!))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]!) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]!) : 0);
        if (Math.abs(s[ks]!) <= tiny + eps * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) kase = 3;
      else if (ks === p - 1) kase = 1;
      else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    switch (kase) {
      case 1: {
        let f = e[p - 2]!;
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          let t = Math.hypot(s[j]!, f);
          const cs = s[j]! / t;
          const sn = f / t;
          s[j] = t;
          if (j !== k) {
            f = -sn * e[j - 1]!;
            e[j - 1] = cs * e[j - 1]!;
          }
          const cj = j * n;
          const cp = (p - 1) * n;
          for (let i = 0; i < n; i++) {
            t = cs * Vt[cj + i]! + sn * Vt[cp + i]!;
            Vt[cp + i] = -sn * Vt[cj + i]! + cs * Vt[cp + i]!;
            Vt[cj + i] = t;
          }
        }
        break;
      }
      case 2: {
        let f = e[k - 1]!;
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          let t = Math.hypot(s[j]!, f);
          const cs = s[j]! / t;
          const sn = f / t;
          s[j] = t;
          f = -sn * e[j]!;
          e[j] = cs * e[j]!;
          const cj = j * m;
          const ck = (k - 1) * m;
          for (let i = 0; i < m; i++) {
            t = cs * Ut[cj + i]! + sn * Ut[ck + i]!;
            Ut[ck + i] = -sn * Ut[cj + i]! + cs * Ut[ck + i]!;
            Ut[cj + i] = t;
          }
        }
        break;
      }
      case 3: {
        if (++iterations > maxIterations) {
          throw linalgError(
            'E_NUMERIC',
            `svd: no convergence after ${maxIterations} QR steps on a ${m}×${n} matrix`,
          );
        }
        const scale = Math.max(
          Math.abs(s[p - 1]!),
          Math.abs(s[p - 2]!),
          Math.abs(e[p - 2]!),
          Math.abs(s[k]!),
          Math.abs(e[k]!),
        );
        const sp = s[p - 1]! / scale;
        const spm1 = s[p - 2]! / scale;
        const epm1 = e[p - 2]! / scale;
        const sk = s[k]! / scale;
        const ek = e[k]! / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = sp * epm1 * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = Math.sqrt(b * b + c);
          if (b < 0) shift = -shift;
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        for (let j = k; j < p - 1; j++) {
          let t = Math.hypot(f, g);
          let cs = f / t;
          let sn = g / t;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j]! + sn * e[j]!;
          e[j] = cs * e[j]! - sn * s[j]!;
          g = sn * s[j + 1]!;
          s[j + 1] = cs * s[j + 1]!;
          const vj = j * n;
          const vj1 = vj + n;
          for (let i = 0; i < n; i++) {
            t = cs * Vt[vj + i]! + sn * Vt[vj1 + i]!;
            Vt[vj1 + i] = -sn * Vt[vj + i]! + cs * Vt[vj1 + i]!;
            Vt[vj + i] = t;
          }
          t = Math.hypot(f, g);
          cs = f / t;
          sn = g / t;
          s[j] = t;
          f = cs * e[j]! + sn * s[j + 1]!;
          s[j + 1] = -sn * e[j]! + cs * s[j + 1]!;
          g = sn * e[j + 1]!;
          e[j + 1] = cs * e[j + 1]!;
          if (j < m - 1) {
            const uj = j * m;
            const uj1 = uj + m;
            for (let i = 0; i < m; i++) {
              t = cs * Ut[uj + i]! + sn * Ut[uj1 + i]!;
              Ut[uj1 + i] = -sn * Ut[uj + i]! + cs * Ut[uj1 + i]!;
              Ut[uj + i] = t;
            }
          }
        }
        e[p - 2] = f;
        break;
      }
      case 4: {
        // Make the singular value non-negative, then bubble it into descending order.
        if (s[k]! <= 0) {
          s[k] = s[k]! < 0 ? -s[k]! : 0;
          const ck = k * n;
          for (let i = 0; i <= pp; i++) Vt[ck + i] = -Vt[ck + i]!;
        }
        while (k < pp) {
          if (s[k]! >= s[k + 1]!) break;
          const t = s[k]!;
          s[k] = s[k + 1]!;
          s[k + 1] = t;
          if (k < n - 1) swapRows(Vt, n, k, k + 1);
          if (k < m - 1) swapRows(Ut, m, k, k + 1);
          k++;
        }
        p--;
        break;
      }
    }
  }

  const u = new Float64Array(m * nu);
  for (let j = 0; j < nu; j++) for (let i = 0; i < m; i++) u[i * nu + j] = Ut[j * m + i]!;
  const v = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) v[i * n + j] = Vt[j * n + i]!;
  return { u: { rows: m, cols: nu, data: u }, s: s.slice(0, n), v: { rows: n, cols: n, data: v } };
}

function swapRows(data: Float64Array, width: number, r1: number, r2: number): void {
  const a = r1 * width;
  const b = r2 * width;
  for (let i = 0; i < width; i++) {
    const t = data[a + i]!;
    data[a + i] = data[b + i]!;
    data[b + i] = t;
  }
}
