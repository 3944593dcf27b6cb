import { defineConfig } from 'vitest/config';

// Four projects so developers can run the fast unit suite alone; `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['lab/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Real-lab tests share kernel state (namespaces); keep lab files serial.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          // The first demo start may build the renderer.
          hookTimeout: 180_000,
          // Each file starts a demo lab and a browser: one at a time on a small machine.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'security',
          include: ['security/**/*.test.ts'],
          environment: 'node',
          // The electronegativity scans of out/ and src/ take tens of seconds on two cores.
          testTimeout: 300_000,
        },
      },
    ],
  },
});
