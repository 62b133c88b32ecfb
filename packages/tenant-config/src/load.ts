import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml'
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import { findCrossReferenceProblems } from './cross-references'
import { findLocaleDeclarationProblems, findTranslationProblems } from './localization'
import { describeZodIssue, type ConfigProblem, type Path, type TenantFileProblem } from './problems'
import { tenantFileSchema, type TenantConfig } from './schema'
import type { ValidatedTenantCache } from './validated-cache'
import { z } from 'zod'

export interface LoadedTenant {
  /** The file as named in problems and logs. */
  file: string
  config: TenantConfig
  /** Changes whenever the file's bytes change; recorded as the tenant's config version. */
  contentVersion: string
}

export type TenantLoadResult =
  { ok: true; tenant: LoadedTenant } | { ok: false; file: string; problems: TenantFileProblem[] }

export interface TenantSetResult {
  tenants: LoadedTenant[]
  problems: TenantFileProblem[]
}

export interface LoadOptions {
  /** Files validated before by the same code are taken from it, not checked again (validated-cache.ts). */
  cache?: ValidatedTenantCache
}

/** sha256 of the file's text, hex. */
export function computeContentVersion(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex')
}

/**
 * Validates one tenant file's text: YAML syntax, then the shape (schema),
 * then meaning (locales, translations, references, tracks). Meaning is only
 * checked once the shape is right, so every problem reported is a real one.
 *
 * A valid file is read with js-yaml (about twenty times faster) and checked
 * with the schema; only a file with problems is read again as a full `yaml`
 * document, whose source positions give each of zod's issues its line. Both
 * read YAML 1.2's core schema.
 */
export function parseTenantSource(source: string, file: string): TenantLoadResult {
  return checkTenantSource(source, file, computeContentVersion(source))
}

function checkTenantSource(source: string, file: string, contentVersion: string): TenantLoadResult {
  const quickly = readQuickly(source)
  if (quickly.ok) {
    const parsed = tenantFileSchema.safeParse(quickly.data)
    if (parsed.success && findMeaningProblems(parsed.data).length === 0) {
      return { ok: true, tenant: { file, config: parsed.data, contentVersion } }
    }
  }
  return { ok: false, file, problems: locateProblems(source, file) }
}

/**
 * `parseTenantSource` through a cache of validated files: a text this code
 * has validated before is not read and checked again (validated-cache.ts).
 */
export async function parseTenantSourceCached(source: string, file: string, cache: ValidatedTenantCache): Promise<TenantLoadResult> {
  const contentVersion = computeContentVersion(source)
  const config = await cache.get(contentVersion)
  if (config) return { ok: true, tenant: { file, config, contentVersion } }
  const result = checkTenantSource(source, file, contentVersion)
  if (result.ok) await cache.set(contentVersion, result.tenant.config)
  return result
}

function readQuickly(source: string): { ok: true; data: unknown } | { ok: false } {
  try {
    return { ok: true, data: loadYaml(source, { schema: CORE_SCHEMA }) }
  } catch {
    return { ok: false }
  }
}

/**
 * The checks themselves, on data already read from YAML, in zod's words.
 * Every problem of a file is reported in one run: when the shape is wrong
 * somewhere, meaning (references, tracks, translations) is still checked on
 * the parts that could be read; a meaning problem inside a malformed part is
 * left out, as its shape problem already stands for it.
 */
function validateTenantData(data: unknown): ConfigProblem[] {
  const parsed = tenantFileSchema.safeParse(data)
  if (parsed.success) return findMeaningProblems(parsed.data)
  const shapeProblems = parsed.error.issues.flatMap((issue) =>
    describeZodIssue(issue, tenantFileSchema, data),
  )
  const readable = readableParts(data)
  if (!readable) return shapeProblems
  const malformed = shapeProblems.map((problem) => partOf(problem.path))
  const meaning = findMeaningProblems(readable, { partial: true }).filter(
    (problem) => !malformed.some((part) => startsWith(problem.path, part)),
  )
  return [...shapeProblems, ...meaning]
}

/** Problems of a file's meaning; `partial` when parts of it are malformed (see validateTenantData). */
function findMeaningProblems(config: TenantConfig, options: { partial?: boolean } = {}): ConfigProblem[] {
  const guarded = (check: () => ConfigProblem[]) => {
    if (!options.partial) return check()
    try {
      return check()
    } catch {
      return []
    }
  }
  return [
    ...guarded(() => findLocaleDeclarationProblems(config)),
    ...guarded(() => findTranslationProblems(tenantFileSchema, config, config)),
    ...findCrossReferenceProblems(config, options),
  ]
}

/**
 * The file's sections as the schema reads them (defaults applied) where they
 * are well formed, and as written where they are not; list items one by one,
 * so one bad item leaves the others checked. Null when the file is not a mapping.
 */
function readableParts(data: unknown): TenantConfig | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null
  const raw = data as Record<string, unknown>
  const parts: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(tenantFileSchema.shape) as [string, z.ZodTypeAny][]) {
    const parsed = schema.safeParse(raw[key])
    if (parsed.success) {
      parts[key] = parsed.data
      continue
    }
    const list = unwrapToArray(schema)
    const value = raw[key]
    parts[key] =
      list && Array.isArray(value)
        ? value.map((item: unknown) => {
            const element = list.element.safeParse(item)
            return element.success ? element.data : item
          })
        : value
  }
  return parts as TenantConfig
}

function unwrapToArray(schema: z.ZodTypeAny): z.ZodArray<z.ZodTypeAny> | null {
  let node: z.ZodTypeAny = schema
  for (;;) {
    if (node instanceof z.ZodArray) return node
    if (node instanceof z.ZodOptional || node instanceof z.ZodDefault)
      node = node._def.innerType as z.ZodTypeAny
    else return null
  }
}

/** The part a shape problem makes unreadable: its list item (e.g. tracks[0]) or its section. */
function partOf(path: Path): Path {
  const item = path.findIndex((segment) => typeof segment === 'number')
  return item >= 0 ? path.slice(0, item + 1) : path.slice(0, 1)
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.every((segment, index) => path[index] === segment)
}

/** Every problem of a file, with its line, from the full YAML document. */
function locateProblems(source: string, file: string): TenantFileProblem[] {
  const lineCounter = new LineCounter()
  const document = parseDocument(source, { lineCounter, prettyErrors: false })
  const lineOf = (offset: number) => lineCounter.linePos(offset).line
  if (document.errors.length > 0) {
    return document.errors.map((error) => ({
      file,
      line: lineOf(error.pos[0]),
      path: [],
      message: error.message.split('\n')[0] ?? error.code,
      expected: 'valid YAML',
    }))
  }
  return validateTenantData(document.toJS()).map((problem) => ({
    file,
    line: lineOfPath(document, problem.path, lineOf),
    ...problem,
  }))
}

/**
 * The line of the YAML node at `path`: the key's line for a mapping entry,
 * the item's line for a list entry. A path that does not exist (a missing
 * field) points at its nearest existing ancestor.
 */
function lineOfPath(document: Document, path: Path, lineOf: (offset: number) => number): number {
  let node: unknown = document.contents
  let line = lineOf(nodeStart(node) ?? 0)
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(document)
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
      if (!pair) break
      line = lineOf(nodeStart(pair.key) ?? nodeStart(pair.value) ?? 0)
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment]
      line = lineOf(nodeStart(node) ?? 0)
    } else {
      break
    }
  }
  return line
}

function nodeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0]
}

/** The line of `path` in a YAML text; for pointing at a value after the file has loaded. */
export function lineOfPathInSource(source: string, path: Path): number {
  const lineCounter = new LineCounter()
  const document = parseDocument(source, { lineCounter })
  return lineOfPath(document, path, (offset) => lineCounter.linePos(offset).line)
}

/** Problems name the file relative to the working directory, as the CLI prints them. */
function displayPathOf(path: string): string {
  return relative(process.cwd(), path)
}

export async function loadTenantFile(path: string): Promise<TenantLoadResult> {
  return parseTenantSource(await readFile(path, 'utf8'), displayPathOf(path))
}

/**
 * Loads several tenant files and checks what must differ between cities:
 * slugs (URLs) and reference-code prefixes. A city whose file is invalid is
 * left out of `tenants`; its problems are in `problems`.
 *
 * Each file is checked as soon as it is read, one after another: reading all
 * first (1,000 reads at once queue on libuv's four threads) made every check
 * wait for the last read (docs/performance.md, issue 19).
 */
export async function loadTenantFiles(paths: readonly string[], options: LoadOptions = {}): Promise<TenantSetResult> {
  const tenants: LoadedTenant[] = []
  const problems: TenantFileProblem[] = []
  const sourceOf = new Map<string, string>()
  const { cache } = options
  for (const path of paths) {
    const source = await readFile(path, 'utf8')
    const file = displayPathOf(path)
    const result = cache ? await parseTenantSourceCached(source, file, cache) : parseTenantSource(source, file)
    if (result.ok) tenants.push(result.tenant)
    else problems.push(...result.problems)
    sourceOf.set(file, source)
  }
  const lineIn = (file: string, path: Path) => lineOfPathInSource(sourceOf.get(file) ?? '', path)
  problems.push(...findClashes(tenants, ['slug'], (config) => config.slug, lineIn))
  problems.push(
    ...findClashes(
      tenants,
      ['identity', 'referenceCodePrefix'],
      (config) => config.identity.referenceCodePrefix,
      lineIn,
    ),
  )
  return { tenants, problems }
}

/** A city already on the platform (a file in tenants/, or a city in the database) that a file must not clash with. */
export interface OtherCity {
  slug: string
  referenceCodePrefix: string
  /** How the problem names it: its file, or its slug. */
  name: string
}

/**
 * What a tenant file must not share with another city: its reference-code
 * prefix (its slug names the city it creates or updates). One check for
 * `tenants:check` (against the files of tenants/) and `tenants:apply`
 * (against the cities in the database), with the same words and the line.
 */
export function findClashesWithCities(tenant: LoadedTenant, source: string, others: readonly OtherCity[]): TenantFileProblem[] {
  const path: Path = ['identity', 'referenceCodePrefix']
  const prefix = tenant.config.identity.referenceCodePrefix
  const taken = others.find((other) => other.slug !== tenant.config.slug && other.referenceCodePrefix === prefix)
  if (!taken) return []
  return [
    {
      file: tenant.file,
      line: lineOfPathInSource(source, path),
      path,
      message: `"${prefix}" is already used by ${taken.name}`,
      expected: UNIQUE_VALUE,
    },
  ]
}

const UNIQUE_VALUE = 'a value no other city uses'

/** Every `*.yaml` / `*.yml` file directly in `dir`, in name order. */
export async function loadTenantDirectory(dir: string, options: LoadOptions = {}): Promise<TenantSetResult> {
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort()
  return loadTenantFiles(names.map((name) => join(dir, name)), options)
}

function findClashes(
  tenants: LoadedTenant[],
  path: Path,
  valueOf: (config: TenantConfig) => string,
  lineIn: (file: string, path: Path) => number,
): TenantFileProblem[] {
  const firstFileOf = new Map<string, string>()
  const problems: TenantFileProblem[] = []
  for (const tenant of tenants) {
    const value = valueOf(tenant.config)
    const firstFile = firstFileOf.get(value)
    if (firstFile === undefined) {
      firstFileOf.set(value, tenant.file)
      continue
    }
    problems.push({
      file: tenant.file,
      line: lineIn(tenant.file, path),
      path,
      message: `"${value}" is already used by ${firstFile}`,
      expected: UNIQUE_VALUE,
    })
  }
  return problems
}
