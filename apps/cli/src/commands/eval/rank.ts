import { arenaRatings, type Battle, scoreRanking } from '@modelsmith/eval';
import { type Command, numberOption, parseCommandArgs, printJson, UsageError } from '../../command.js';
import { integerOption } from '../../integer-option.js';
import { hasColumn, readCsv, stringColumn } from '../../io/csv.js';
import { inputError } from '../../io/input-error.js';
import { choiceOption, fmt } from './shared.js';

const help = `Usage: modelsmith eval rank <measurements.csv> [--method plackett-luce|bradley-terry|elo] [options]

Ranks models from heterogeneous, incomplete measurements (ONEBench) or pairwise battles (Chatbot Arena).

Input, with a header row:
  model,sample,score         one measurement per row; a missing pair or an empty score is a missing value.
                             Per sample, models are ordered by score (ties allowed); plackett-luce fits
                             PL by MM on those orderings, bradley-terry fits BT on the pairwise wins
                             (ties count both ways). Scores are mean-zero natural-log strengths.
  modelA,modelB,winner       one battle per row; winner is the name of modelA or modelB, or "tie".
                             bradley-terry (and plackett-luce, which equals BT on pairs) report the
                             Arena Elo scale 1000 + 400·log10-strength; elo runs online Elo (K=4).

CIs are bootstrap percentiles: samples are resampled for model,sample,score input (refits use
alpha ≥ 0.001 so resamples that lose a comparison stay finite); battles are resampled for pairwise input.

Options:
  --method M          plackett-luce (default), bradley-terry or elo (elo needs pairwise input)
  --rounds B          bootstrap rounds (default 200; 0 = no CIs)
  --ci C              confidence level (default 0.95)
  --seed S            seed (default 0)
  --alpha A           regularization (pseudo-comparisons per pair) of the main fit; default 0 = plain MLE,
                      which is an error if the comparison graph is not strongly connected
  --lower-is-better   scores are losses (model,sample,score input)
  --json              print {"method":M,"scale":"log-strength"|"elo","models":K,"rounds":B,"confidence":C,
                       "ranking":[{"rank":1,"model":"a","score":x,"ciLow":l,"ciHigh":h},...]}

Examples:
  modelsmith eval rank measurements.csv --method plackett-luce --seed 1 --json
  modelsmith eval rank battles.csv --method elo --rounds 1000
`;

export const evalRankCommand: Command = {
  path: ['eval', 'rank'],
  summary: 'rank models with Plackett–Luce, Bradley–Terry or Elo and bootstrap CIs',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        method: { type: 'string' },
        rounds: { type: 'string' },
        ci: { type: 'string' },
        seed: { type: 'string' },
        alpha: { type: 'string' },
        'lower-is-better': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
      { min: 1, max: 1, names: '<measurements.csv>' },
    );
    const method = choiceOption(
      values.method,
      '--method',
      ['plackett-luce', 'bradley-terry', 'elo'],
      'plackett-luce',
    );
    const rounds = integerOption(values.rounds, '--rounds') ?? 200;
    const seed = integerOption(values.seed, '--seed') ?? 0;
    const confidence = numberOption(values.ci, '--ci') ?? 0.95;
    if (!(confidence > 0 && confidence < 1))
      throw new UsageError(`--ci must be in (0, 1), got ${confidence}`);
    const alpha = numberOption(values.alpha, '--alpha') ?? 0;
    if (alpha < 0) throw new UsageError(`--alpha must be ≥ 0, got ${alpha}`);
    const table = await readCsv(positionals[0]!);
    let scale: 'log-strength' | 'elo';
    let ranking: {
      rank: number;
      model: string;
      score: number;
      ciLow: number | null;
      ciHigh: number | null;
    }[];
    if (hasColumn(table, 'modelA') && hasColumn(table, 'modelB') && hasColumn(table, 'winner')) {
      const a = stringColumn(table, 'modelA');
      const b = stringColumn(table, 'modelB');
      const w = stringColumn(table, 'winner');
      const battles: Battle[] = a.map((name, i) => {
        const winner = w[i] === 'tie' ? 'tie' : w[i] === name ? 'a' : w[i] === b[i] ? 'b' : undefined;
        if (winner === undefined)
          throw inputError(
            `${table.path}: row ${i + 2}: winner '${w[i]}' is neither '${name}', '${b[i]}' nor 'tie'`,
          );
        return { a: name, b: b[i]!, winner };
      });
      const ratings = arenaRatings(battles, {
        method: method === 'elo' ? 'elo' : 'bradley-terry',
        rounds,
        confidence,
        seed,
        alpha,
      });
      scale = 'elo';
      ranking = ratings
        .slice()
        .sort((x, y) => y.rating - x.rating)
        .map((r, i) => ({ rank: i + 1, model: r.model, score: r.rating, ciLow: r.low, ciHigh: r.high }));
    } else if (hasColumn(table, 'model') && hasColumn(table, 'sample') && hasColumn(table, 'score')) {
      if (method === 'elo')
        throw new UsageError('--method elo needs pairwise input (columns modelA,modelB,winner)');
      const models = stringColumn(table, 'model');
      const samples = stringColumn(table, 'sample');
      const scoreText = stringColumn(table, 'score');
      const modelIndex = new Map<string, number>();
      const sampleIndex = new Map<string, number>();
      for (const m of models) if (!modelIndex.has(m)) modelIndex.set(m, modelIndex.size);
      for (const s of samples) if (!sampleIndex.has(s)) sampleIndex.set(s, sampleIndex.size);
      const matrix = Array.from({ length: modelIndex.size }, () =>
        new Float64Array(sampleIndex.size).fill(Number.NaN),
      );
      scoreText.forEach((text, r) => {
        if (text === '' || text.toLowerCase() === 'nan') return;
        const v = Number(text);
        if (!Number.isFinite(v))
          throw inputError(
            `${table.path}: row ${r + 2}, column 'score': '${text}' is not a number (leave it empty if missing)`,
          );
        matrix[modelIndex.get(models[r]!)!]![sampleIndex.get(samples[r]!)!] = v;
      });
      const result = scoreRanking(matrix, [...modelIndex.keys()], {
        method: method as 'plackett-luce' | 'bradley-terry',
        rounds,
        confidence,
        seed,
        alpha,
        higherIsBetter: !values['lower-is-better'],
      });
      scale = 'log-strength';
      ranking = result.map((r) => ({
        rank: r.rank,
        model: r.model,
        score: r.score,
        ciLow: r.low,
        ciHigh: r.high,
      }));
    } else {
      throw inputError(
        `${table.path}: expected columns model,sample,score or modelA,modelB,winner (columns: ${table.header.join(', ')})`,
      );
    }
    if (values.json) {
      printJson(context, { method, scale, models: ranking.length, rounds, confidence, ranking });
      return 0;
    }
    context.stdout(
      `${method} ranking (${scale}), ${rounds > 0 ? `${Math.round(confidence * 1000) / 10}% bootstrap CIs over ${rounds} rounds` : 'no CIs'}\n`,
    );
    for (const r of ranking) {
      const ci = r.ciLow === null ? '' : `  [${fmt(r.ciLow)}, ${fmt(r.ciHigh)}]`;
      context.stdout(`  ${String(r.rank).padStart(3)}  ${r.model.padEnd(24)} ${fmt(r.score)}${ci}\n`);
    }
    return 0;
  },
};
