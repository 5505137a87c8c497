import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'build/',
      'reports/',
      '.cache/',
      'data/',
      'data-demo/',
      'data-bench/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.recommended.rules,
    },
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // Layers only point down: seed/, scripts/, bench/ -> app/ -> search/ -> db/, and all may use lib/.
  {
    files: ['lib/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['~/*', '\\#db/*', '\\#search/*', '../*'],
              message: 'lib/ is the bottom layer: it imports packages only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['~/*', '**/app/*', '\\#search/*', '**/search/*', '**/seed/*'],
              message: 'db/ sits below app/ and search/: pass what it needs in as arguments.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['search/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['~/*', '**/app/*', '**/seed/*'],
              message: 'search/ sits below app/: pass what it needs in as arguments.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/utils/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '~/models/*',
                '~/auth/*',
                '~/routes/*',
                '../models/*',
                '../auth/*',
                '../routes/*',
              ],
              message: 'app/utils/ sits below models, auth and routes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['app/models/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['~/auth/*', '~/routes/*', '**/auth/*', '**/routes/*'],
              message: 'app/models/ sits below auth and routes: they call the models, not back.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
