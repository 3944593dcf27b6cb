import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'docs/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Plain-JS entry points run on Node; TypeScript files get their globals from the type checker.
    files: ['bin/**/*.js', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layering: shared imports nothing of ours outside itself and does no I/O.
  {
    files: ['src/shared/**/*.ts'],
    // Tests beside the pure code may read fixtures from disk; the code itself may not.
    ignores: ['src/shared/**/*.test.ts', 'src/shared/**/*.test-data.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/lab/**'],
              message: 'shared must not import other layers',
            },
            { group: ['node:*', '@kubernetes/*'], message: 'shared is pure: no I/O' },
          ],
          // Exact module names: a pattern like 'net' would also match our own ../net/index.ts.
          paths: ['fs', 'net', 'child_process', 'ssh2', 'electron'].map((name) => ({
            name,
            message: 'shared is pure: no I/O',
          })),
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/lab/**', 'electron', 'node:*'],
              message: 'renderer imports shared only',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    // Integration tests run the services against the lab's emulators; the services never import it.
    ignores: ['src/main/**/*.test.ts', 'src/main/**/testing.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**', '**/lab/**'], message: 'main imports shared only' }] },
      ],
    },
  },
);
