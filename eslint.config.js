import js from '@eslint/js';
import security from 'eslint-plugin-security';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Type-aware where it matters, plus two house rules: modules talk only through each other's
 * index.ts, and source files stay small (split by sub-feature before 400 lines).
 */
export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  security.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
      // Object keys here come from our own code, never from users; the rule's heuristics flag every index.
      'security/detect-object-injection': 'off',
      'security/detect-non-literal-fs-filename': 'off',
    },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/**/*.test.ts', 'server/src/test/**'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Modules talk only through each other's index.ts: from a file `depth` folders below
  // `modules/`, going up exactly that many levels and then into a folder reaches another module.
  // Sub-feature folders of one module (e.g. pass/scim → pass/domains) may import each other.
  ...[1, 2, 3].map((depth) => ({
    files: [`server/src/modules/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^${'\\.\\./'.repeat(depth)}(?!\\.\\./)[^/]+/(?!index$).+`,
              message: "Modules talk only through each other's index.ts.",
            },
          ],
        },
      ],
    },
  })),
  {
    // Migrations are frozen in time and typed Kysely<any> on purpose (DESIGN: migrations).
    files: ['server/src/**/migrations/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Password-confirmation equality in forms is not a secret comparison.
    files: ['web/**'],
    rules: { 'security/detect-possible-timing-attacks': 'off' },
  },
  {
    files: ['**/*.test.ts', 'server/src/test/**', 'e2e/**', 'bench/**'],
    rules: { 'max-lines': ['error', { max: 800 }] },
  },
  {
    files: ['web/vite.config.ts', 'eslint.config.js', 'vitest.config.ts', 'e2e/playwright.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
