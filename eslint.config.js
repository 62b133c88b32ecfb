import js from '@eslint/js'
import jsxA11y from 'eslint-plugin-jsx-a11y'
import react from 'eslint-plugin-react'
import reactHooks from 'eslint-plugin-react-hooks'
import boundaries from 'eslint-plugin-boundaries'
import importX from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * The layers, top first, each with the files it holds (first match wins). A layer may import itself and the
 * layers below it; tests may import everything, test support (`testing`) everything but tests. Components sit between routes and
 * the HTTP edge they render for; job handlers call operations; the queue's kinds and enqueueing are data-layer
 * code (db/queue), so operations and db both reach them downwards.
 */
const LAYERS = [
  ['test', '**/*.test.{ts,tsx}', '**/vitest.config.ts', 'e2e/**'],
  ['scripts', 'scripts/**'],
  ['testing', '**/testing.ts', '**/testing/**', 'app/test/**', 'db/probes/**', 'db/citus/global-setup.ts'],
  ['server', 'app/server/**'],
  ['routes', 'app/routes/**', 'app/root.tsx', 'app/entry.server.tsx', 'app/entry.client.tsx'],
  ['components', 'app/components/**'],
  ['http', 'app/http/**'],
  ['jobs', 'app/jobs/**'],
  ['operations', 'app/operations/**'],
  ['utils', 'app/utils/**', 'app/i18n.ts', 'app/locales/**', 'app/styles/**', 'app/remix.env.d.ts'],
  ['db', 'db/**'],
  ['packages', 'packages/**'],
]

/** The layer types below the one at `index`, except what scripts must not reach (the request's own layers). */
function allowedBelow(index) {
  const below = LAYERS.slice(index + 1).map(([type]) => type)
  return LAYERS[index][0] === 'scripts' ? below.filter((type) => type !== 'routes' && type !== 'components') : below
}

export default tseslint.config(
  { ignores: ['build/**', 'public/build/**', '.data/**', '.cache/**', 'e2e/.results/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['app/**/*.tsx'],
    plugins: { react, 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    settings: { react: { version: '18' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.configs.strict.rules,
      'react/prop-types': 'off',
    },
  },
  {
    // The layers (docs/ARCHITECTURE.md, "Code layout"): each may import only what is below it, and no module
    // imports itself round a cycle. Tests, test support and command-line programs sit on top and may import
    // anything. app/test/architecture.test.ts proves both rules refuse what they should.
    files: ['app/**/*.{ts,tsx}', 'db/**/*.ts', 'packages/**/*.ts', 'scripts/**/*.ts', 'e2e/**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'import-x/resolver': { typescript: { project: './tsconfig.json' } },
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts'] },
      'boundaries/include': ['app/**', 'db/**', 'packages/**', 'scripts/**', 'e2e/**'],
      'boundaries/elements': LAYERS.map(([type, ...patterns]) => ({ type, pattern: patterns, mode: 'full' })),
    },
    rules: {
      'boundaries/element-types': [
        'error',
        {
          default: 'disallow',
          message: '${file.type} must not import ${dependency.type} (${dependency.source}): the layers go one way, see docs/ARCHITECTURE.md',
          rules: LAYERS.map(([type], index) => ({
            from: type,
            allow: type === 'test' ? LAYERS.map(([other]) => other) : [type, ...allowedBelow(index)],
          })),
        },
      ],
      'boundaries/no-unknown-files': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Intl formatters are kept (packages/tenant-config/src/value-display.ts): building one costs 20–50 µs, and
    // pages that built one per figure or date spent most of their render on it (the dashboard: one per cell).
    files: ['app/**/*.{ts,tsx}', 'packages/**/*.ts'],
    ignores: ['packages/tenant-config/src/value-display.ts', '**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.object.name='Intl'][callee.property.name=/^(DateTimeFormat|NumberFormat)$/]",
          message: 'Take a kept formatter (dateFormat, numberFormat from @desk/tenant-config) instead of building one per call.',
        },
      ],
    },
  },
  {
    // One way into tenant data: request code never touches the owner connection.
    files: ['app/routes/**', 'app/components/**', 'app/root.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '~/operations/proposals/context.server',
              importNames: ['inProposalTransaction'],
              message: "A route opens no transaction of its own: the page's one is opened by app/http (withCityRole, inRequestTransaction) and the route calls one operation in it.",
            },
          ],
          patterns: [
            {
              group: ['**/db/owner*', '**/db/setup*', '**/db/bootstrap*', '**/db/seed*', '**/db/embedded*'],
              message: 'Route modules reach data only through withTenant (db/tenant-context.ts, opened by app/http); the owner connection is for migrations, seeding and operator tasks.',
            },
            {
              group: ['drizzle-orm', 'drizzle-orm/*', '**/db/tenant-context', '**/db/runtime'],
              allowTypeImports: true,
              message: 'Routes and components query nothing themselves: they call an operation (app/operations) in the transaction the HTTP edge (app/http) opens.',
            },
          ],
        },
      ],
    },
  },
)
