import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'bench/.run-*/**',
      '**/dist/**',
      '**/node_modules/**',
      'test-results/**',
      '**/*.d.ts',
      '**/*.generated.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
