import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// The layers of ARCHITECTURE.md, enforced on import paths: arrows point down only.
// electron → host → services → domain → contract; the UI sees only contract and domain.
const layer = (files, forbidden, message, ignores = []) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

const NODE_BUILTINS = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'dgram', 'tls', 'http', 'https', 'crypto'];

export default tseslint.config(
  { ignores: ['.tmp/**', 'out/**', 'dist/**', 'release/**', 'node_modules/**', '.electron-native/**', 'test/fixtures/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  { files: ['src/ui/**'], languageOptions: { globals: { ...globals.browser } } },
  layer(
    ['src/contract/**'],
    ['**/domain/**', '**/services/**', '**/host/**', '**/ui/**', '**/electron/**', 'electron', ...NODE_BUILTINS],
    'src/contract is the bottom layer: zod only.',
  ),
  layer(
    ['src/domain/**'],
    ['**/services/**', '**/host/**', '**/ui/**', '**/cli/**', '**/electron/**', 'electron', ...NODE_BUILTINS],
    'src/domain is pure: no IO, no upper layers.',
    ['src/domain/**/*.test.ts'],
  ),
  layer(
    ['src/services/**'],
    ['**/host/**', '**/ui/**', '**/cli/**', '**/electron/**', 'electron'],
    'services never import host, ui, cli or electron.',
  ),
  layer(['src/host/**'], ['**/ui/**', '**/cli/**', '**/electron/**', 'electron'], 'host never imports ui, cli or electron.'),
  layer(
    ['src/ui/**'],
    ['**/services/**', '**/host/**', '**/cli/**', '**/electron/**', 'electron', ...NODE_BUILTINS],
    'the UI talks to the host only through the contract client.',
  ),
  layer(['src/cli/**'], ['**/ui/**', '**/electron/**', 'electron'], 'the CLI runs the host and services, never the UI or Electron.'),
  layer(
    ['electron/**'],
    ['**/src/services/**', '**/src/domain/**', '**/src/ui/**', '**/src/cli/**'],
    'electron/ is thin: it imports src/host and src/contract only.',
  ),
  {
    // Only the security wrapper may open external URLs.
    files: ['electron/**'],
    ignores: ['electron/security.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='openExternal']", message: 'Use safeOpenExternal from electron/security.ts.' },
      ],
    },
  },
);
