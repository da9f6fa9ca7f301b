import { mcnemar, mcnemarTable, multipleTests } from '@modelsmith/eval';
import type { DemoComparisons } from './demo-results.js';

/**
 * McNemar (χ² with continuity correction) of each model against the reference on the same
 * pooled test digits, with Holm's correction across the comparisons.
 */
export function compareAgainstReference(
  labels: Int32Array,
  reference: { name: string; predicted: Int32Array },
  models: readonly { name: string; predicted: Int32Array }[],
  alpha = 0.05,
): DemoComparisons {
  const y = Array.from(labels);
  const rows = models.map((model) => {
    const table = mcnemarTable(y, Array.from(model.predicted), Array.from(reference.predicted));
    const result = mcnemar(table, { corrected: true });
    return {
      model: model.name,
      table: [table[0][0], table[0][1], table[1][0], table[1][1]] as const,
      statistic: result.statistic ?? Number.NaN,
      pValue: result.pValue,
    };
  });
  const adjusted =
    rows.length > 0
      ? multipleTests(
          rows.map((row) => row.pValue),
          { method: 'holm', alpha },
        )
      : undefined;
  return {
    reference: reference.name,
    correction: 'Holm',
    rows: rows.map((row, index) => ({
      ...row,
      adjustedPValue: adjusted!.adjusted[index]!,
      reject: adjusted!.reject[index]!,
    })),
  };
}
