// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

// The functional core must stay free of I/O: these folders are pure functions over plain data.
const pureFolders = ['src/common/**', 'src/controller/model/**', 'src/controller/placement/**', 'src/protocol/**']
const ioModules = ['express', 'execa', 'lowdb', 'lowdb/*', 'node-cron', 'systeminformation',
  'node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'node:child_process', 'child_process', 'node:http', 'node:https', 'node:dgram']

export default tseslint.config(
  {ignores: ['node_modules/', 'dist/', 'build/', '.tmp/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: globals.node},
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_'}],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: pureFolders,
    ignores: ['src/common/systemd.ts'],
    rules: {'no-restricted-imports': ['error', {paths: ioModules.filter((m) => !m.includes('*'))}]},
  },
)
