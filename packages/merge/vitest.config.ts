import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@modelsmith/source'] },
  ssr: { resolve: { conditions: ['@modelsmith/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    passWithNoTests: false,
  },
});
