import { defineConfig } from 'vitest/config';
export default defineConfig({ test: { root: '/work/main', include: [process.env.ONLY ?? '.scratch-c4/**/run2010.scratch.ts'], testTimeout: 600_000 } });
