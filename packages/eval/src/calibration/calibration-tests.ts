import {
  type CalibrationTestResult,
  ksFromDifferences,
  kuiperFromDifferences,
} from './cumulative-calibration-tests.js';
import { type CumulativeDifferencesOptions, cumulativeDifferences } from './cumulative-differences.js';
import { spiegelhalterTest } from './spiegelhalter.js';

export interface CalibrationTests {
  /** Kolmogorov–Smirnov on cumulative differences; null when every confidence is 0 or 1. */
  readonly ks: CalibrationTestResult | null;
  /** Kuiper on cumulative differences; null when every confidence is 0 or 1. */
  readonly kuiper: CalibrationTestResult | null;
  /** Spiegelhalter z (statistic) with its two-sided p-value; null when every confidence is 0, ½ or 1. */
  readonly spiegelhalter: CalibrationTestResult | null;
}

/**
 * MAPIE's three calibration tests at once (one sort for KS and Kuiper). Unlike the single tests, an undefined
 * statistic is reported as null instead of throwing, so a report can show the others.
 */
export function calibrationTests(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  options: CumulativeDifferencesOptions = {},
): CalibrationTests {
  const c = cumulativeDifferences(confidence, correct, options);
  let spiegelhalterDefined = false;
  for (let i = 0; i < confidence.length && !spiegelhalterDefined; i++) {
    const p = confidence[i]!;
    spiegelhalterDefined = p !== 0 && p !== 0.5 && p !== 1;
  }
  const s = spiegelhalterDefined ? spiegelhalterTest(confidence, correct) : null;
  return {
    ks: c.sigma > 0 ? ksFromDifferences(c) : null,
    kuiper: c.sigma > 0 ? kuiperFromDifferences(c) : null,
    spiegelhalter: s === null ? null : { statistic: s.z, pValue: s.pValue },
  };
}
