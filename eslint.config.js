// Lint rules, including the import rules of docs/architecture.md:
//   shared/          imports nothing of ours and no Node, DOM-free code only
//   renderer/        imports only shared/ (never Node, never electron, never electron/)
//   electron/core/   imports shared/ and Node, never `electron`
//   electron/*/      (cli, server, sim) never `electron`; only files directly in electron/ may
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronModule = {
  name: 'electron',
  message: 'Only files directly in electron/ may import electron.',
};

export default tseslint.config(
  {
    ignores: [
      'out/',
      'dist/',
      'coverage/',
      'node_modules/',
      'test-results/',
      '.bench/',
      '.scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronModule,
            ...nodeBuiltins.map((name) => ({
              name,
              message: 'shared/ is used by the renderer: no Node modules.',
            })),
          ],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**'],
              message: 'shared/ imports nothing of ours outside shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            electronModule,
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer never uses Node.' })),
          ],
          patterns: [
            {
              group: ['**/electron/**'],
              message:
                'The renderer imports only shared/ (and talks to the core through AuditApi).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronModule],
          patterns: [
            {
              group: ['**/renderer/**'],
              message: 'The core and its faces never import the renderer.',
            },
          ],
        },
      ],
    },
  },
);
