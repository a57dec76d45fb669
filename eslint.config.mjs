import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// `import { z } from 'zod'` keeps zod's whole namespace (every locale, ~450 KB) in each Lambda
// bundle; `import * as z from 'zod'` tree-shakes to ~85 KB.
const ZOD_NAMED_Z = {
  selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
  message: "Use `import * as z from 'zod'` (tree-shakes).",
};

/** `Date.now()` and `new Date()` (the system clock), refused with `message`. */
const noClock = (message) => [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message },
];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.tsbuild/**',
      '.serverless/**',
      '.esbuild/**',
      '.data/**',
      'miniapp/config/**',
      'miniapp/babel.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      // Chinese text uses the ideographic space (U+3000) on purpose.
      'no-restricted-syntax': ['error', ZOD_NAMED_Z],
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipComments: true }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['shared/src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      // The pure domain takes the clock as a parameter (docs/CONVENTIONS.md).
      'no-restricted-syntax': [
        'error',
        ZOD_NAMED_Z,
        ...noClock('Pass `now` in; the domain has no clock.'),
      ],
      'no-restricted-imports': ['error', { patterns: ['@aws-sdk/*', '@tarojs/*', 'node:*'] }],
    },
  },
  {
    // Handlers and jobs read the time from lib/clock.ts (the local stack's --date clock, the
    // system clock on AWS); outside providers' adapters and the log keep the system clock.
    files: ['functions/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'functions/src/lib/clock.ts', 'functions/src/lib/log.ts', 'functions/src/adapters/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ZOD_NAMED_Z,
        ...noClock('Use now() from lib/clock.ts (the local stack runs at other dates).'),
      ],
    },
  },
  {
    files: ['infra/serverless/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { process: 'readonly', module: 'writable' } },
  },
);
