import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import mbw from './security/eslint-plugin.js';

const root = import.meta.dirname;

// Node's built-in modules by every name they answer to (`fs`, `fs/promises`); `node:*` is refused as a scheme.
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));
// Libraries that reach the network or only run in Node/Electron's main process.
const NETWORK_AND_MAIN_ONLY = [
  'electron',
  'ssh2',
  '@kubernetes/client-node',
  'ws',
  'undici',
  'node-fetch',
  'axios',
  'got',
  'node-forge',
  'playwright-core',
];
const TESTS = ['**/*.test.ts', '**/*.test.tsx', '**/testing.ts'];

/** One layer's import rule: which of our folders it may reach and which modules it may not name. */
function layer(name, options) {
  return ['error', { root, layer: name, ...options }];
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'docs/**',
      'bench/results.json',
      // Deliberately insecure or layer-breaking code that the security tests feed to the checks.
      'security/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Plain-JS entry points run on Node; TypeScript files get their globals from the type checker.
    files: ['bin/**/*.js', '*.config.js', 'security/**/*.js'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    plugins: { mbw },
    rules: {
      // Every window states its hardening at the call, where a reader and the scanner see it.
      'mbw/hardened-web-preferences': 'error',
      // A folder with an index.ts is a module; from outside it is entered through that file only.
      'mbw/import-through-index': [
        'error',
        {
          root,
          containers: [
            'src',
            'src/main',
            'src/shared',
            'src/renderer',
            'src/preload',
            'lab',
            'bench',
            'e2e',
            'bin',
            'security',
          ],
        },
      ],
    },
  },
  // Layering. src/shared is pure: no I/O, no other layer.
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    // Tests beside the pure code may read fixtures from disk; the code itself may not.
    ignores: ['src/shared/**/*.test.ts', 'src/shared/**/*.test-data.ts'],
    rules: {
      'mbw/layering': layer('src/shared', {
        allowFolders: ['src/shared'],
        forbidModules: [...NODE_BUILTINS, ...NETWORK_AND_MAIN_ONLY],
        forbidNodeScheme: true,
        because:
          'shared is pure code (no I/O, no Node, Electron or network library) and imports no other layer',
      }),
    },
  },
  {
    files: ['src/shared/**/*.test.ts', 'src/shared/**/*.test-data.ts'],
    rules: {
      'mbw/layering': layer('src/shared', {
        allowFolders: ['src/shared'],
        forbidModules: NETWORK_AND_MAIN_ONLY,
        because: 'shared tests test the pure code alone (they may read fixtures from disk)',
      }),
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'mbw/layering': layer('src/renderer', {
        allowFolders: ['src/renderer', 'src/shared'],
        forbidModules: [...NODE_BUILTINS, ...NETWORK_AND_MAIN_ONLY],
        forbidNodeScheme: true,
        because:
          'the renderer is a web page: it reaches main only through the preload contract and imports only src/shared',
      }),
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'mbw/layering': layer('src/preload', {
        allowFolders: ['src/preload', 'src/shared'],
        forbidModules: [...NODE_BUILTINS, ...NETWORK_AND_MAIN_ONLY.filter((name) => name !== 'electron')],
        forbidNodeScheme: true,
        because: 'the sandboxed preload exposes the contract with electron and src/shared, nothing else',
      }),
    },
  },
  {
    files: ['src/main/**/*.ts'],
    // Integration tests run the services against the lab's emulators; the services never import it.
    ignores: TESTS,
    rules: {
      'mbw/layering': layer('src/main', {
        forbidFolders: ['lab', 'src/renderer', 'src/preload'],
        because:
          'main is the app: the lab is test infrastructure (only *.test.ts and testing.ts may use it) and the renderer runs elsewhere',
      }),
    },
  },
  {
    files: TESTS.map((pattern) => `src/main/${pattern}`),
    rules: {
      'mbw/layering': layer('src/main', {
        forbidFolders: ['src/renderer', 'src/preload'],
        because: 'the renderer and preload run in the window, not in main',
      }),
    },
  },
  {
    files: ['lab/**/*.ts'],
    ignores: TESTS,
    rules: {
      'mbw/layering': layer('lab', {
        forbidFolders: ['src/renderer', 'src/main'],
        because:
          'the lab emulates what the app talks to; it starts the app from a top-level entry or as a child process (only *.test.ts and testing.ts may import src/main)',
      }),
    },
  },
  {
    files: TESTS.map((pattern) => `lab/${pattern}`),
    rules: {
      'mbw/layering': layer('lab', {
        forbidFolders: ['src/renderer'],
        because: 'the lab drives the app through main, never through the renderer’s code',
      }),
    },
  },
);
