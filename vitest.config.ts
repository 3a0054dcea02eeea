import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    reporters: ['default', './tests/count-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
