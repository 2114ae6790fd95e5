// Lint rules that keep the kernel deterministic and the imports pointing inward (docs/ARCHITECTURE.md).
import tseslint from 'typescript-eslint';

const KERNEL = ['src/model/**', 'src/core/**', 'src/book/**', 'src/indicators/**', 'src/features/**',
  'src/execution/**', 'src/risk/**', 'src/portfolio/**', 'src/strategy/**', 'src/strategies/**', 'src/engine/**'];

const nondeterministic = [
  { name: 'setTimeout', message: 'Kernel code schedules through the Clock (core/clock.ts), not real timers.' },
  { name: 'setInterval', message: 'Kernel code schedules through the Clock (core/clock.ts), not real timers.' },
  { name: 'fetch', message: 'Kernel code does no I/O; put it in an adapter.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/**', 'data/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: KERNEL,
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...nondeterministic],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Read time from the Clock so backtests are deterministic.' },
        { object: 'Math', property: 'random', message: 'Use the seeded Random from core/random.ts.' },
        { object: 'crypto', property: 'randomUUID', message: 'Use the IdGenerator from core/ids.ts.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'net', 'http', 'https', 'child_process', 'worker_threads'], message: 'The kernel does no I/O: put it in src/adapters, src/data or src/cli.' },
            { group: ['**/adapters/**', '**/storage/**', '**/server/**', '**/cli/**', '**/data/**', '**/report/**', '**/research/**'], message: 'Imports point inward: the kernel never imports the outer ring.' },
            { group: ['ccxt', 'pg', 'postgres', '@electric-sql/*', 'nats', '@nats-io/*', 'fastify', 'pino'], message: 'Vendor libraries stay behind adapters.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/model/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../*', '!../model/*'], message: 'model imports nothing of ours.' }] }],
    },
  },
);
