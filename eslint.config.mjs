// ESLint, type-aware (typescript-eslint), starting from what `nest new` sets up: the recommended
// type-checked rules, with the few NestJS relaxes for code that works with decorators and JSON.
// Formatting is Prettier's business (.prettierrc), so eslint-config-prettier turns style rules off.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.aster/**', 'bench/**', 'scripts/**', 'docs/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // As NestJS's starter: any is sometimes the honest type of parsed JSON.
      '@typescript-eslint/no-explicit-any': 'off',
      // A promise left floating is a lost error: every one must be awaited, returned or voided.
      '@typescript-eslint/no-floating-promises': 'error',
      // `_name` marks a value deliberately unused (a destructured field left out, a callback's argument).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read untyped JSON answers (supertest's body is any) and hand jest async callbacks.
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // waitFor() and jest take async callbacks whether or not a given one awaits.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
