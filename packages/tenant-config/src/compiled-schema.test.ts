import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { compileSchema, REJECTED } from './compiled-schema'
import { brokenVariants } from './fixtures/broken-variants'
import type { Path } from './problems'
import { tenantsDirectory } from './repository'
import { tenantFileSchema } from './schema'

const parseTenantShape = compileSchema(tenantFileSchema)

/** The compiled schema must say exactly what zod says: the same verdict and, when valid, the same data. */
function expectSameAsZod(parse: (value: unknown) => unknown, schema: z.ZodTypeAny, value: unknown): void {
  const byZod = schema.safeParse(value)
  const compiled = parse(value)
  if (byZod.success) expect(compiled).toStrictEqual(byZod.data)
  else expect(compiled).toBe(REJECTED)
}

const minimal = readFileSync(new URL('./fixtures/minimal.yaml', import.meta.url), 'utf8')
const sources = [
  minimal,
  ...readdirSync(tenantsDirectory)
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => readFileSync(join(tenantsDirectory, name), 'utf8')),
]
const read = (source: string): unknown => loadYaml(source, { schema: CORE_SCHEMA })

/** Every path to a value in `data`, for mutating it anywhere. */
function pathsOf(data: unknown, path: Path = []): Path[] {
  if (typeof data !== 'object' || data === null) return [path]
  const children = Array.isArray(data) ? data.map((_, index) => index) : Object.keys(data)
  return [path, ...children.flatMap((key) => pathsOf((data as Record<string | number, unknown>)[key], [...path, key]))]
}

/** Values that sit at the edges of the schema's rules: wrong types, empty, bounds, near-miss ids and codes. */
const edgeValues: unknown[] = [
  undefined, null, true, false, 0, -1, 1, 1.5, 30, 366, Number.NaN, Infinity,
  '', 'x', 'ja', 'en', 'jp-JP', 'Desk', 'desk_review', 'desk', 'lead', 'none', 'text', 'file', 'matrix',
  '#0067C0', '#0067CG', 'ABC', 'abcdefg', '2024-01-01', '123-4567', 'a@b.c', 'not an email', 'https://example.org',
  [], [''], ['desk'], {}, { ja: 'テキスト' }, { ja: '' }, { id: 'x' }, { xx: 'y' },
]

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown }

function mutate(data: unknown, path: Path, mutation: Mutation): unknown {
  const copy = structuredClone(data)
  if (path.length === 0) return mutation.kind === 'set' ? mutation.value : copy
  // An earlier mutation may have removed or replaced the path: then this one changes nothing.
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined), copy)
  if (typeof parent !== 'object' || parent === null) return copy
  const last = path.at(-1) as string | number
  const record = parent as Record<string | number, unknown>
  if (mutation.kind === 'set') record[last] = mutation.value
  else if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(last as number, 1)
    else delete record[last]
  } else {
    const target = record[last]
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
      ;(target as Record<string, unknown>)[mutation.key] = mutation.value
    }
  }
  return copy
}

describe('compileSchema', () => {
  it('agrees with zod on every tenant file and fixture', () => {
    for (const source of sources) expectSameAsZod(parseTenantShape, tenantFileSchema, read(source))
  })

  it('agrees with zod on every broken variant', () => {
    for (const variant of brokenVariants) {
      let data: unknown
      try {
        data = read(minimal.replace(variant.replace, variant.with))
      } catch {
        continue // a YAML syntax error never reaches the schema
      }
      expectSameAsZod(parseTenantShape, tenantFileSchema, data)
    }
  })

  it('agrees with zod on files mutated anywhere', () => {
    const documents = sources.map(read)
    const pathLists = documents.map((data) => pathsOf(data))
    const value = fc.constantFrom(...edgeValues)
    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      value.map((next) => ({ kind: 'set' as const, value: next })),
      fc.constant({ kind: 'delete' as const }),
      fc.record({ kind: fc.constant('add' as const), key: fc.constantFrom('id', 'ja', 'fr', 'extra', 'type'), value }),
    )
    const mutations = fc
      .integer({ min: 0, max: documents.length - 1 })
      .chain((document) =>
        fc.tuple(
          fc.constant(document),
          fc.array(fc.tuple(fc.constantFrom(...(pathLists[document] ?? [[]])), mutation), { minLength: 1, maxLength: 3 }),
        ),
      )
    fc.assert(
      fc.property(mutations, ([document, changes]) => {
        const data = changes.reduce((current, [path, change]) => mutate(current, path, change), documents[document])
        expectSameAsZod(parseTenantShape, tenantFileSchema, data)
      }),
      { numRuns: 400 },
    )
  })

  it('follows zod on the schema kinds it hands back to zod or handles itself', () => {
    const schemas: z.ZodTypeAny[] = [
      z.string().email(),
      z.string().trim().min(2),
      z.number().multipleOf(2),
      z.object({ a: z.string() }).passthrough(),
      z.object({ a: z.string().optional() }),
      z.union([z.string(), z.array(z.string()).min(1)]),
      z.record(z.string().regex(/^[a-z]+$/), z.number()),
      z.string().transform((value) => value.length),
      z.array(z.number()).max(2),
      z.number().int().positive().max(3),
    ]
    const values: unknown[] = [...edgeValues, { a: 'x', b: 1 }, { a: undefined }, ['a', 'b'], { abc: 1 }, { ABC: 1 }, [1, 2, 3], 2, 4]
    for (const schema of schemas) {
      const parse = compileSchema(schema)
      for (const value of values) expectSameAsZod(parse, schema, value)
    }
  })
})
