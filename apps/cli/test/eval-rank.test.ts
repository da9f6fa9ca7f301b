import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { runCliJson } from './run-cli-json.js';
import { writeTempFiles } from './temp-files.js';

// ONEBench fixture from spec §3.1 as model,sample,score rows (missing = row absent or empty score).
const fixture = {
  A: [1, 1, 0, 1, null, 1, 0, 1],
  B: [1, 0, 0, 1, 1, null, 0, 0],
  C: [0, 1, null, 0, 1, 0, 1, 0],
  D: [0, 0, 0, null, 0, 1, 0, null],
};
const rows = ['model,sample,score'];
for (const [model, scores] of Object.entries(fixture)) {
  scores.forEach((s, j) => {
    rows.push(`${model},s${j},${s === null ? '' : s}`);
  });
}

describe('modelsmith eval rank', () => {
  const f = writeTempFiles({ 'm.csv': `${rows.join('\n')}\n` });
  it('bradley-terry on sample scores reproduces the ONEBench log-strengths', async () => {
    const out = await runCliJson([
      'eval',
      'rank',
      f['m.csv'],
      '--method',
      'bradley-terry',
      '--rounds',
      '50',
      '--seed',
      '1',
    ]);
    expect(Object.keys(out)).toEqual(['method', 'scale', 'models', 'rounds', 'confidence', 'ranking']);
    expect(out.ranking.map((x: { model: string }) => x.model)).toEqual(['A', 'B', 'C', 'D']);
    const expected = [0.443297, 0.025949, -0.057585, -0.411661];
    for (let i = 0; i < 4; i++) expect(out.ranking[i].score).toBeCloseTo(expected[i]!, 6);
    for (const x of out.ranking) expect(x.ciLow).toBeLessThanOrEqual(x.ciHigh);
  });
  it('plackett-luce on sample scores orders A first and D last', async () => {
    const out = await runCliJson(['eval', 'rank', f['m.csv'], '--rounds', '0']);
    expect(out.scale).toBe('log-strength');
    expect(out.ranking[0].model).toBe('A');
    expect(out.ranking[3].model).toBe('D');
    expect(out.ranking[0].ciLow).toBeNull();
  });
  it('pairwise battles: online Elo spec values; BT on the Elo scale', async () => {
    const g = writeTempFiles({ 'b.csv': 'modelA,modelB,winner\nA,B,A\nA,C,A\nB,C,tie\nC,A,C\nB,A,B\n' });
    const out = await runCliJson(['eval', 'rank', g['b.csv'], '--method', 'elo', '--rounds', '0']);
    const byModel = Object.fromEntries(
      out.ranking.map((x: { model: string; score: number }) => [x.model, x.score]),
    );
    expect(byModel.A).toBeCloseTo(999.931324, 6);
    expect(byModel.B).toBeCloseTo(1000.022826, 6);
    expect(byModel.C).toBeCloseTo(1000.04585, 6);
    const bt = await runCliJson(['eval', 'rank', g['b.csv'], '--method', 'bradley-terry', '--rounds', '20']);
    expect(bt.scale).toBe('elo');
  });
  it('a disconnected comparison graph exits 2 with a clear message; --alpha regularizes', async () => {
    const g = writeTempFiles({ 'd.csv': 'modelA,modelB,winner\nA,B,A\nA,B,A\n' });
    const r = await runCli(['eval', 'rank', g['d.csv'], '--method', 'bradley-terry', '--rounds', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not strongly connected');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const ok = await runCli([
      'eval',
      'rank',
      g['d.csv'],
      '--method',
      'bradley-terry',
      '--rounds',
      '0',
      '--alpha',
      '0.5',
      '--json',
    ]);
    expect(ok.code).toBe(0);
  });
  it('elo on sample scores is a usage error', async () => {
    const r = await runCli(['eval', 'rank', f['m.csv'], '--method', 'elo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pairwise');
  });
});
