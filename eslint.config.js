// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The same folders .gitignore leaves out (eslint does not read it): build output, caches, local experiments.
  { ignores: ['dist/', 'node_modules/', 'public/', '.cache/', 'dev-dist/', 'coverage/', 'scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain-JS test fixtures that run in a browser worker.
    files: ['tests/browser/fixtures/**/*.js'],
    languageOptions: {
      globals: { self: 'readonly', URL: 'readonly', Request: 'readonly', createImageBitmap: 'readonly' },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
