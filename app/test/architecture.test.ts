import path from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/**
 * The layer rule of eslint.config.js (docs/ARCHITECTURE.md, "Code layout") refuses what it should: code is
 * linted as if it were the named file, with the project's own configuration.
 */
const root = path.resolve(__dirname, '../..')
const eslint = new ESLint({ cwd: root })

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return result!.messages.map((message) => `${message.ruleId}: ${message.message}`)
}

describe('the layer rule', () => {
  it('refuses an operation importing the HTTP edge, even a type', async () => {
    const found = await problems(
      'app/operations/accounts/layer-probe.server.ts',
      "import type { CityStaff } from '../../http/guards.server'\nexport type Probe = CityStaff\n",
    )
    expect(found).toEqual([
      expect.stringMatching(/^boundaries\/element-types: operations must not import http/),
    ])
  })

  it('refuses the data layer importing the app, and a package importing the data layer', async () => {
    expect(
      await problems(
        'db/layer-probe.ts',
        "import { handleJob } from '../app/jobs/handlers.server'\nexport const probe = handleJob\n",
      ),
    ).toEqual([expect.stringMatching(/^boundaries\/element-types: db must not import jobs/)])
    expect(
      await problems(
        'packages/workflow/src/layer-probe.ts',
        "import { withTenant } from '../../../db/tenant-context'\nexport const probe = withTenant\n",
      ),
    ).toEqual([expect.stringMatching(/^boundaries\/element-types: packages must not import db/)])
  })

  it('refuses utils importing an operation, and anything below importing a route', async () => {
    expect(
      await problems(
        'app/utils/layer-probe.ts',
        "import { listPublishedCases } from '~/operations/portal/cases.server'\nexport const probe = listPublishedCases\n",
      ),
    ).toEqual([expect.stringMatching(/^boundaries\/element-types: utils must not import operations/)])
    expect(
      await problems(
        'app/http/layer-probe.server.ts',
        "import { loader } from '~/routes/healthz'\nexport const probe = loader\n",
      ),
    ).toEqual([expect.stringMatching(/^boundaries\/element-types: http must not import routes/)])
  })

  it('refuses a route querying the database itself', async () => {
    const found = await problems(
      'app/routes/layer-probe.tsx',
      "import { sql } from 'drizzle-orm'\nexport const probe = sql\n",
    )
    expect(found).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*Routes and components query nothing themselves/),
    ])
  })

  it('refuses a cycle', async () => {
    // guards.server.ts imports city-staff.server.ts; city-staff importing guards back closes a cycle.
    const found = await problems(
      'app/operations/city-staff/city-staff.server.ts',
      "import { requireCityRole } from '../../http/guards.server'\nexport const probe = requireCityRole\n",
    )
    expect(found).toContainEqual(expect.stringMatching(/^import-x\/no-cycle: Dependency cycle/))
  })

  it('accepts what goes downwards', async () => {
    expect(
      await problems(
        'app/http/layer-probe.server.ts',
        "import { listPublishedCases } from '~/operations/portal/cases.server'\nexport const probe = listPublishedCases\n",
      ),
    ).toEqual([])
  })
}, 60_000)

describe('the kept Intl formatters', () => {
  it('refuses building a date or number formatter in a render, and accepts taking a kept one', async () => {
    const built = await problems(
      'app/components/intl-probe.tsx',
      "export const probe = (n: number) => new Intl.NumberFormat('ja').format(n)\n",
    )
    expect(built).toEqual([expect.stringMatching(/^no-restricted-syntax: Take a kept formatter/)])
    const kept = await problems(
      'app/components/intl-probe.tsx',
      "import { numberFormat } from '@desk/tenant-config'\nexport const probe = (n: number) => numberFormat('ja').format(n)\n",
    )
    expect(kept).toEqual([])
  })
}, 60_000)

describe('the field kit', () => {
  it('imports nothing of Remix: the tests that stand in for @remix-run/react build their stand-ins from it', async () => {
    // With such an import, a test's vi.mock('@remix-run/react') factory waits for the kit, which waits for the
    // mocked module: the file never finishes loading, and vitest has no timeout for that (CI hung on it).
    const { readFile } = await import('node:fs/promises')
    const kit = await readFile(path.join(process.cwd(), 'app/components/forms.tsx'), 'utf8')
    expect(kit).not.toMatch(/from '@remix-run\/(react|node)'/)
  })
})
