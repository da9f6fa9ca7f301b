import type { CsvTable } from './csv.js';
import { optionalColumn, requireColumn } from './require-column.js';

export interface YPredColumns {
  /** True outcomes of the calibration rows. */
  readonly calY: Float64Array;
  /** Point predictions for the calibration rows. */
  readonly calPredictions: Float64Array;
  /** Point predictions for the test rows. */
  readonly testPredictions: Float64Array;
  /** Test outcomes when the test file has a `y` column (then coverage / FDP can be reported). */
  readonly testY: Float64Array | undefined;
}

/** Reads the `y,pred` columns of a calibration CSV and `pred` (plus `y` when present) of a test CSV. */
export function readYPredColumns(cal: CsvTable, test: CsvTable): YPredColumns {
  return {
    calY: requireColumn(cal, 'y', 'the calibration file needs the true outcomes'),
    calPredictions: requireColumn(cal, 'pred', 'the point prediction'),
    testPredictions: requireColumn(test, 'pred', 'the point prediction'),
    testY: optionalColumn(test, 'y'),
  };
}
