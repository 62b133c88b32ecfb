import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml'
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import { compileSchema, REJECTED } from './compiled-schema'
import { findCrossReferenceProblems } from './cross-references'
import { findLocaleDeclarationProblems, findTranslationProblems } from './localization'
import { describeZodIssue, type ConfigProblem, type Path, type TenantFileProblem } from './problems'
import { tenantFileSchema, type TenantConfig } from './schema'

export interface LoadedTenant {
  /** The file as named in problems and logs. */
  file: string
  config: TenantConfig
  /** Changes whenever the file's bytes change; recorded as the tenant's config version. */
  contentVersion: string
}

export type TenantLoadResult = { ok: true; tenant: LoadedTenant } | { ok: false; file: string; problems: TenantFileProblem[] }

export interface TenantSetResult {
  tenants: LoadedTenant[]
  problems: TenantFileProblem[]
}

/** sha256 of the file's text, hex. */
export function computeContentVersion(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex')
}

/** The tenant-file schema as plain closures: zod's verdict and data, without its issue bookkeeping. */
const parseTenantShape = compileSchema(tenantFileSchema)

/**
 * Validates one tenant file's text: YAML syntax, then the shape (schema),
 * then meaning (locales, translations, references, tracks). Meaning is only
 * checked once the shape is right, so every problem reported is a real one.
 *
 * A valid file is read with js-yaml (about twenty times faster) and checked
 * with the compiled schema; only a file with problems is read again as a full
 * `yaml` document and checked by zod itself, whose issues, with the
 * document's source positions, give each problem its words and line. Both
 * read YAML 1.2's core schema.
 */
export function parseTenantSource(source: string, file: string): TenantLoadResult {
  const quickly = readQuickly(source)
  if (quickly.ok) {
    const config = parseTenantShape(quickly.data)
    if (config !== REJECTED && findMeaningProblems(config as TenantConfig).length === 0) {
      return { ok: true, tenant: { file, config: config as TenantConfig, contentVersion: computeContentVersion(source) } }
    }
  }
  return { ok: false, file, problems: locateProblems(source, file) }
}

function readQuickly(source: string): { ok: true; data: unknown } | { ok: false } {
  try {
    return { ok: true, data: loadYaml(source, { schema: CORE_SCHEMA }) }
  } catch {
    return { ok: false }
  }
}

/** The checks themselves, on data already read from YAML, in zod's words. */
function validateTenantData(data: unknown): ConfigProblem[] {
  const parsed = tenantFileSchema.safeParse(data)
  if (!parsed.success) return parsed.error.issues.flatMap((issue) => describeZodIssue(issue, tenantFileSchema, data))
  return findMeaningProblems(parsed.data)
}

/** Problems of a shape-valid file's meaning. */
function findMeaningProblems(config: TenantConfig): ConfigProblem[] {
  return [
    ...findLocaleDeclarationProblems(config),
    ...findTranslationProblems(tenantFileSchema, config, config),
    ...findCrossReferenceProblems(config),
  ]
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
 */
export async function loadTenantFiles(paths: readonly string[]): Promise<TenantSetResult> {
  const sources = await Promise.all(paths.map((path) => readFile(path, 'utf8')))
  const results = sources.map((source, index) => parseTenantSource(source, displayPathOf(paths[index] ?? '')))
  const tenants = results.flatMap((result) => (result.ok ? [result.tenant] : []))
  const problems = results.flatMap((result) => (result.ok ? [] : result.problems))
  const sourceOf = new Map(results.map((result, index) => [result.ok ? result.tenant.file : result.file, sources[index] ?? '']))
  const lineIn = (file: string, path: Path) => lineOfPathInSource(sourceOf.get(file) ?? '', path)
  problems.push(...findClashes(tenants, ['slug'], (config) => config.slug, lineIn))
  problems.push(
    ...findClashes(tenants, ['identity', 'referenceCodePrefix'], (config) => config.identity.referenceCodePrefix, lineIn),
  )
  return { tenants, problems }
}

/** Every `*.yaml` / `*.yml` file directly in `dir`, in name order. */
export async function loadTenantDirectory(dir: string): Promise<TenantSetResult> {
  const names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort()
  return loadTenantFiles(names.map((name) => join(dir, name)))
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
      expected: 'a value unique among all tenant files',
    })
  }
  return problems
}
