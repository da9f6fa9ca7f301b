import { countSamples, passAtKDataset, type TaskCounts } from '@modelsmith/eval';
import { type Command, numberListOption, parseCommandArgs, printJson } from '../../command.js';
import { inputError } from '../../io/input-error.js';
import { readJsonl } from '../../io/jsonl.js';
import { fmt } from './shared.js';

const help = `Usage: modelsmith eval passk <samples.jsonl> [--k 1,10,100] [--json]

Unbiased pass@k (Chen et al. 2021, stable product form 1 − Π(1 − k/i)), averaged over tasks.
Each line is either one task  {"task": "t1", "n": 200, "c": 13}
or one sample                 {"task": "t1", "passed": true}   (samples are counted per task).
Every task needs n ≥ k: a k larger than some task's n is an error (the reference harness would silently
report 1 for it).

Options:
  --k LIST    comma-separated k values (default 1)
  --json      print {"passAtK":{"1":x,"10":y,...},"tasks":T}

Example:
  modelsmith eval passk samples.jsonl --k 1,10,100 --json
`;

export const evalPasskCommand: Command = {
  path: ['eval', 'passk'],
  summary: 'unbiased pass@k over tasks from per-task counts or per-sample results',
  help,
  async run(argv, context) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { k: { type: 'string' }, json: { type: 'boolean', default: false } },
      { min: 1, max: 1, names: '<samples.jsonl>' },
    );
    const ks = numberListOption(values.k, '--k') ?? [1];
    const path = positionals[0]!;
    const lines = await readJsonl(path);
    if (lines.length === 0) throw inputError(`${path}: no records`);
    const isSample = (v: Record<string, unknown>) => 'passed' in v;
    const records = lines.map((line, i) => {
      if (line === null || typeof line !== 'object' || Array.isArray(line))
        throw inputError(`${path}: record ${i + 1} is not an object`);
      return line as Record<string, unknown>;
    });
    const perSample = isSample(records[0]!);
    let tasks: TaskCounts[];
    if (perSample) {
      tasks = countSamples(
        records.map((r, i) => {
          if (!isSample(r) || typeof r.passed !== 'boolean')
            throw inputError(`${path}: record ${i + 1} needs a boolean "passed" (like record 1)`);
          if (typeof r.task !== 'string' && typeof r.task !== 'number')
            throw inputError(`${path}: record ${i + 1} needs a "task" id`);
          return { task: String(r.task), passed: r.passed };
        }),
      );
    } else {
      tasks = records.map((r, i) => {
        if (typeof r.n !== 'number' || typeof r.c !== 'number') {
          throw inputError(
            `${path}: record ${i + 1} needs numbers "n" and "c" (or every record a boolean "passed")`,
          );
        }
        return { task: r.task === undefined ? `line ${i + 1}` : String(r.task), n: r.n, c: r.c };
      });
    }
    const result = passAtKDataset(tasks, ks);
    if (values.json) {
      printJson(context, { passAtK: result.passAtK, tasks: result.tasks });
      return 0;
    }
    context.stdout(`pass@k over ${result.tasks} tasks\n`);
    for (const k of ks) context.stdout(`  pass@${k}  ${fmt(result.passAtK[String(k)]!)}\n`);
    return 0;
  },
};
