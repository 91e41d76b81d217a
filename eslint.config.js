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
// Dangerous Electron APIs are wrapped once and banned everywhere else (docs/security.md):
//   shell.openExternal  only in electron/open-external.ts (https + host allowlist)
//   new BrowserWindow   only in electron/security.ts (createSecureWindow: locked webPreferences)
//   ipcMain.*           only in electron/ipc.ts (sender, method and schema checks in one place)
//   ipcRenderer, contextBridge, webUtils  only in electron/preload.ts (the narrow bridge)
const openExternalBan = [
  {
    selector: "MemberExpression[property.name='openExternal']",
    message: 'Use openExternal() from electron/open-external.ts (https + allowlist).',
  },
  {
    selector: "Property[key.name='openExternal'][parent.type='ObjectPattern']",
    message: 'Use openExternal() from electron/open-external.ts (https + allowlist).',
  },
];
const shellBans = [
  ...openExternalBan,
  {
    selector: "NewExpression[callee.name='BrowserWindow']",
    message: 'Create windows with createSecureWindow() from electron/security.ts.',
  },
  {
    selector: "CallExpression[callee.object.name='ipcMain']",
    message: 'IPC handlers live in electron/ipc.ts only.',
  },
];

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
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['electron/open-external.ts', 'electron/open-external.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...openExternalBan] },
  },
  {
    files: ['electron/*.ts'],
    ignores: [
      'electron/*.test.ts',
      'electron/open-external.ts',
      'electron/security.ts',
      'electron/ipc.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', ...shellBans] },
  },
  {
    files: ['electron/*.ts'],
    ignores: ['electron/preload.ts', 'electron/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'electron',
              importNames: ['ipcRenderer', 'contextBridge', 'webUtils'],
              message: 'Only electron/preload.ts talks to the page (the narrow bridge).',
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
