import { modelsmithTestConfig } from '@modelsmith/vitest-config';
import { defineConfig } from 'vitest/config';

// The order-table suites integrate RK4 references; the shared 2-core machine can be slow.
export default defineConfig(modelsmithTestConfig({ testTimeout: 60_000 }));
