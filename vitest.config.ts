import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` runs pure logic, scripts and models in Node; `browser` drives Debian's Chromium
 * (through playwright-core) against the built app in `dist/`, one file at a time because this machine has
 * two cores and each Chromium wants both.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
