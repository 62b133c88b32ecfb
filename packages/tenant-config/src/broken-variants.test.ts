import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { brokenVariants, type BrokenVariant } from './fixtures/broken-variants'
import { loadTenantDirectory, parseTenantSource } from './load'
import { formatProblem } from './problems'
import { repositoryRoot, tenantsDirectory } from './repository'

const minimalPath = new URL('./fixtures/minimal.yaml', import.meta.url)
let minimal: string

beforeAll(async () => {
  minimal = await readFile(minimalPath, 'utf8')
})

function breakFixture(variant: BrokenVariant): { source: string; line: number } {
  expect(minimal.split(variant.replace), `"${variant.replace}" occurs once in minimal.yaml`).toHaveLength(2)
  const source = minimal.replace(variant.replace, variant.with)
  const [before, ...rest] = source.split(variant.at)
  expect(rest, `"${variant.at}" occurs once in the broken file`).toHaveLength(1)
  return { source, line: (before ?? '').split('\n').length }
}

describe('the minimal fixture', () => {
  it('is valid', () => {
    const result = parseTenantSource(minimal, 'minimal.yaml')
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([])
  })
})

describe('broken variants', () => {
  it('are at least 20', () => {
    expect(brokenVariants.length).toBeGreaterThanOrEqual(20)
  })

  it.each(brokenVariants)('$name: reported with its message and line', (variant) => {
    const { source, line } = breakFixture(variant)
    const result = parseTenantSource(source, 'tenants/broken.yaml')
    expect(result.ok).toBe(false)
    const printed = result.ok ? [] : result.problems.map(formatProblem)
    expect(printed[0]).toBe(`tenants/broken.yaml:${line} ${variant.problem}`)
  })
})

describe('every problem in one run', () => {
  it('reports a schema error, an unknown reference and a workflow error of one file together, each with its line', () => {
    const source = minimal
      .replace('earlyAnswerTargetDays: 30', 'earlyAnswerTargetDays: thirty')
      .replace('    form: standard', '    form: no_such_form')
      .replace('from: implementation, to: completed,', 'from: implementation, to: nowhere,')
    const lines = source.split('\n')
    const lineOf = (text: string) => lines.findIndex((line) => line.includes(text)) + 1
    const result = parseTenantSource(source, 'tenants/broken.yaml')
    const printed = result.ok ? [] : result.problems.map(formatProblem)
    expect(printed).toEqual(
      expect.arrayContaining([
        `tenants/broken.yaml:${lineOf('earlyAnswerTargetDays')} earlyAnswerTargetDays: is a text; expected a number`,
        expect.stringMatching(
          new RegExp(
            `^tenants/broken\\.yaml:${lineOf('form: no_such_form')} proposalTypes\\[0\\]\\.form: unknown form "no_such_form"`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^tenants/broken\\.yaml:${lineOf('to: nowhere')} tracks\\[0\\]\\.transitions\\[\\d+\\]\\.to: .*nowhere`,
          ),
        ),
      ]),
    )
  })

  it('leaves out meaning problems inside a part whose shape is wrong', () => {
    // The step's lane is not a lane: its track is not checked as a graph, so only the shape problem is reported there.
    const source = minimal.replace('lane: proposer }', 'lane: citizen }')
    const result = parseTenantSource(source, 'tenants/broken.yaml')
    const printed = result.ok ? [] : result.problems.map(formatProblem)
    expect(printed.length).toBeGreaterThan(0)
    expect(printed.every((line) => /lane/.test(line))).toBe(true)
  })
})

describe('pnpm tenants:check', () => {
  let directory: string
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'tenant-variants-'))
  })
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true })
  })

  const runCli = (files: string[]) =>
    promisify(execFile)('pnpm', ['exec', 'tsx', 'packages/tenant-config/src/cli.ts', ...files], {
      cwd: repositoryRoot,
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )

  it('passes on the real tenant files', async () => {
    const { code, stdout } = await runCli([])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^OK: 2 tenant file\(s\) valid/m)
  })

  it('checks a folder as tenants:apply would: a reference-code prefix of a city in tenants/ is refused, with its line', async () => {
    const folder = join(directory, 'new-cities')
    await mkdir(folder, { recursive: true })
    const [city] = (await loadTenantDirectory(tenantsDirectory)).tenants
    const prefix = city?.config.identity.referenceCodePrefix ?? ''
    const source = minimal.replace('referenceCodePrefix: SMP', `referenceCodePrefix: ${prefix}`)
    await writeFile(join(folder, 'copycat.yaml'), source)
    const line = source.split('\n').findIndex((text) => text.includes(`referenceCodePrefix: ${prefix}`)) + 1
    const { code, stderr } = await runCli([relative(repositoryRoot, folder)])
    expect(code).toBe(1)
    expect(stderr).toContain(
      `${relative(repositoryRoot, join(folder, 'copycat.yaml'))}:${line} identity.referenceCodePrefix: "${prefix}" is already used by ${city?.file}; expected a value no other city uses`,
    )
  })

  it('prints every broken variant as file:LINE path: problem; expected … and exits 1', async () => {
    const files = await Promise.all(
      brokenVariants.map(async (variant, index) => {
        const { source, line } = breakFixture(variant)
        const file = join(directory, `variant-${index}.yaml`)
        await writeFile(file, source)
        return { file, expectedLine: `${relative(repositoryRoot, file)}:${line} ${variant.problem}` }
      }),
    )
    const { code, stderr } = await runCli(files.map(({ file }) => file))
    expect(code).toBe(1)
    const printed = stderr.split('\n')
    for (const { expectedLine } of files) expect(printed).toContain(expectedLine)
  })
})
