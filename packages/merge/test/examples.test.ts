import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCheckpoint } from '@modelsmith/core-tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMergeConfig } from '../src/config/parse-merge-config.js';
import { mergeCheckpoints } from '../src/execute/merge-checkpoints.js';
import { removeTempDirectories, tempDirectory, writeTinyModel } from './fixtures.js';

afterAll(removeTempDirectories);

const examples = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/merge');
const recipes = readdirSync(examples).filter((f) => f.endsWith('.yaml'));

let root: string;
beforeAll(async () => {
  root = tempDirectory('merge-examples-');
  for (const [i, name] of ['base', 'ft-a', 'ft-b', 'ft-c'].entries())
    await writeTinyModel(join(root, 'models', name), 20 + i);
});

describe('examples/merge recipes run end to end on generated checkpoints', () => {
  it('finds the recipes', () => {
    expect(recipes.length).toBeGreaterThanOrEqual(6);
  });
  for (const recipe of recipes) {
    it(recipe, async () => {
      // Parse the shipped text, but resolve its model paths against the generated models.
      const config = parseMergeConfig(readFileSync(join(examples, recipe), 'utf8'), { baseDirectory: root });
      const out = join(root, `out-${recipe}`);
      const result = await mergeCheckpoints(config, { outputDirectory: out, seed: 3 });
      const checkpoint = await openCheckpoint(out);
      expect(checkpoint.tensors.length).toBe(result.plan.tensors.length);
      expect(checkpoint.metadata['modelsmith.merge.method']).toBe(config.merge_method);
      await checkpoint.close();
    });
  }
});
