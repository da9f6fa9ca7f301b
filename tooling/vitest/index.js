import { fileURLToPath } from 'node:url';

// Shared vitest configuration for every modelsmith package.
//
// vitest 5's reporter calls Map.groupBy / Object.groupBy, which Node 20 lacks (they arrived in
// Node 21): without them a failing test crashes the reporter instead of printing the failure.
// The config file runs in vitest's main process, so installing the standard behaviour here fixes it.
if (typeof Map.groupBy !== 'function') {
  Map.groupBy = (items, keyOf) => {
    const groups = new Map();
    let index = 0;
    for (const item of items) {
      const key = keyOf(item, index++);
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
    return groups;
  };
}
if (typeof Object.groupBy !== 'function') {
  Object.groupBy = (items, keyOf) => {
    const groups = Object.create(null);
    let index = 0;
    for (const item of items) {
      const key = keyOf(item, index++);
      groups[key] ??= [];
      groups[key].push(item);
    }
    return groups;
  };
}
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = () => {
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** Tests and benchmarks read sources through the `@modelsmith/source` export condition. */
export const sourceConditions = ['@modelsmith/source'];

/** @param {import('vitest/config').UserConfig['test']} [test] extra test options */
export function modelsmithTestConfig(test = {}) {
  return {
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      benchmark: { include: ['bench/**/*.bench.ts'] },
      passWithNoTests: false,
      setupFiles: [fileURLToPath(new URL('./fast-check-seed.js', import.meta.url))],
      // CI runs every package's suite at once on 2 cores: allow for a loaded machine.
      testTimeout: 60_000,
      hookTimeout: 120_000,
      ...test,
    },
  };
}
