// Grid of scipy 1.17.1 tail values (test/fixtures/scipy-tails.json, provenance inside the file): both tails of
// t, χ² and F across df from 0.5 to 1e5 and statistics from 1e-4 to 3000, down to 1e-289.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiSquareCdf, chiSquareSf } from '../src/distributions/chi-square.js';
import { fCdf, fSf } from '../src/distributions/f-dist.js';
import { studentTCdf, studentTSf } from '../src/distributions/student-t.js';

type Row = [string, number, number, number, number, number?];
const grid = JSON.parse(readFileSync(new URL('./fixtures/scipy-tails.json', import.meta.url), 'utf8')) as {
  rows: Row[];
};

function evaluate(row: Row): { sf: number; cdf: number; esf: number; ecdf: number; maxDf: number } {
  if (row[0] === 't')
    return {
      sf: studentTSf(row[1], row[2]),
      cdf: studentTCdf(row[1], row[2]),
      esf: row[3],
      ecdf: row[4],
      maxDf: row[2],
    };
  if (row[0] === 'chi2')
    return {
      sf: chiSquareSf(row[1], row[2]),
      cdf: chiSquareCdf(row[1], row[2]),
      esf: row[3],
      ecdf: row[4],
      maxDf: row[2],
    };
  return {
    sf: fSf(row[1], row[2], row[3]),
    cdf: fCdf(row[1], row[2], row[3]),
    esf: row[4],
    ecdf: row[5]!,
    maxDf: Math.max(row[2], row[3]),
  };
}

describe('distribution tails vs scipy grid', () => {
  it(`all ${grid.rows.length} rows: relative error ≤ 1e-12 (≤ 5e-12 at df = 1e5)`, () => {
    for (const row of grid.rows) {
      const r = evaluate(row);
      const rtol = r.maxDf > 1e4 ? 5e-12 : 1e-12;
      for (const [actual, expected] of [
        [r.sf, r.esf],
        [r.cdf, r.ecdf],
      ] as const) {
        if (expected < 1e-300) continue; // scipy underflow to 0 / subnormals
        const rel = Math.abs(actual - expected) / expected;
        if (!(rel <= rtol))
          throw new Error(`${JSON.stringify(row)}: got ${actual}, expected ${expected} (rel ${rel})`);
      }
    }
    expect(grid.rows.length).toBeGreaterThan(150);
  });
});
