import { modelsmithTestConfig } from '@modelsmith/vitest-config';
import { defineConfig } from 'vitest/config';

export default defineConfig(modelsmithTestConfig());
