import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, realpath, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import type { TenantConfig } from './schema'

/**
 * Tenant files already validated, kept on disk between runs the way a build
 * tool keeps its cache (docs/decisions/012-validated-tenant-file-cache.md).
 * An entry is the configuration one file's text validated to, found by the
 * sha256 of the text (its content version) inside a folder named by the
 * fingerprint of the code that validated it. So a changed file has another
 * key, and changed validating code (the schema, the meaning checks, zod,
 * js-yaml) reads another folder: neither can meet a stale entry. Only valid
 * files are kept; a file with problems is always checked again, so its
 * problems are reported with their lines as before.
 *
 * Entries are written with `v8.serialize` (what `structuredClone` keeps, so
 * a configuration comes back exactly as validated, defaults included) to a
 * temporary name and renamed into place, so a reader meets a whole entry or
 * none. An entry that cannot be read or deserialized is a miss; a folder
 * that cannot be written (a read-only deployment) only makes every load a
 * cold one. Several processes may share the folder (a fleet starting
 * together, the server beside its job workers): they write the same bytes
 * under the same name, and a rename replaces an entry whole.
 *
 * What nothing uses goes (`prune`, and other fingerprints' folders when a
 * cache is opened), once unused for `KEEP_UNUSED_MS`: a file's old versions
 * would otherwise stay forever, one entry each.
 */
export interface ValidatedTenantCache {
  /** The configuration a text with this content version validated to, if kept. */
  get(contentVersion: string): Promise<TenantConfig | undefined>
  set(contentVersion: string, config: TenantConfig): Promise<void>
}

export interface ValidatedTenantCacheOnDisk extends ValidatedTenantCache {
  /**
   * Call after loading a whole folder through this cache: removes the entries
   * that load did not use (neither read nor written) and no load has used for
   * `keepUnusedMs`; marks the used ones as used now. An entry in use by the
   * load is never removed, whatever its age; one another process is writing or
   * using is recent, so it is kept.
   */
  prune(): Promise<{ kept: number; removed: number }>
}

/**
 * How long what no load uses is kept: another process of the same code may be
 * loading other files (another folder, a newer deployment starting beside an
 * older one), and one day bounds the disk to about a day's versions.
 */
export const KEEP_UNUSED_MS = 24 * 60 * 60 * 1000
/** A used entry's time is brought up to date at most this often, so a warm load does not rewrite 1,000 times. */
const MARK_USED_AFTER_MS = 60 * 60 * 1000

/**
 * The cache in `directory` for the code that is running (or, for tests, an
 * explicit fingerprint). Its folder is marked as opened now; folders of other
 * fingerprints that no process has opened or written for `keepUnusedMs` are
 * removed: their code is gone (a sooner removal would have the server and
 * its job workers, two bundles with two fingerprints, delete each other's).
 */
export async function openValidatedCache(
  directory: string,
  fingerprint?: string,
  options: { keepUnusedMs?: number } = {},
): Promise<ValidatedTenantCacheOnDisk> {
  const keepUnusedMs = options.keepUnusedMs ?? KEEP_UNUSED_MS
  const code = fingerprint ?? (await validatingCodeFingerprint())
  const folder = join(directory, code)
  const entryOf = (contentVersion: string) => join(folder, `${contentVersion}.v8`)
  await sweep(
    directory,
    { isOurs: (name) => FINGERPRINT_NAME.test(name), isUsed: (name) => name === code },
    keepUnusedMs,
  )
  const used = new Set<string>()
  let folderMade: Promise<unknown> | undefined
  return {
    async get(contentVersion) {
      try {
        const config = deserialize(await readFile(entryOf(contentVersion))) as TenantConfig
        used.add(contentVersion)
        return config
      } catch {
        return undefined
      }
    },
    async set(contentVersion, config) {
      used.add(contentVersion)
      const entry = entryOf(contentVersion)
      const partial = `${entry}.${randomUUID()}.tmp`
      try {
        folderMade ??= mkdir(folder, { recursive: true })
        await folderMade
        await writeFile(partial, serialize(config))
        await rename(partial, entry)
      } catch {
        await rm(partial, { force: true }).catch(() => {})
      }
    },
    prune: () =>
      sweep(
        folder,
        {
          isOurs: (name) => name.endsWith('.v8') || name.endsWith('.tmp'),
          isUsed: (name) => name.endsWith('.v8') && used.has(name.slice(0, -'.v8'.length)),
        },
        keepUnusedMs,
      ),
  }
}

/** A computed fingerprint's folder name. Only those are ever removed from the cache's folder, which a deployment names. */
const FINGERPRINT_NAME = /^[0-9a-f]{32}$/

/**
 * In `directory`, among the names `isOurs` claims (nothing else is touched):
 * what `isUsed` names is marked as used now (its time is read as when it was
 * last used); the rest, last used longer ago than `keepUnusedMs`, is removed
 * (an entry, a fingerprint's folder, a temporary file a crashed writer left).
 */
async function sweep(
  directory: string,
  names: { isOurs: (name: string) => boolean; isUsed: (name: string) => boolean },
  keepUnusedMs: number,
): Promise<{ kept: number; removed: number }> {
  const { isOurs, isUsed } = names
  const now = Date.now()
  const found = (await readdir(directory).catch(() => [])).filter((name) => isOurs(name) || isUsed(name))
  const outcomes = await Promise.all(
    found.map(async (name) => {
      const path = join(directory, name)
      const modified = await stat(path).then(
        (stats) => stats.mtimeMs,
        () => now,
      )
      if (isUsed(name)) {
        if (modified < now - MARK_USED_AFTER_MS)
          await utimes(path, new Date(now), new Date(now)).catch(() => {})
        return 'kept'
      }
      if (modified >= now - keepUnusedMs) return 'kept'
      await rm(path, { recursive: true, force: true }).catch(() => {})
      return 'removed'
    }),
  )
  return {
    kept: outcomes.filter((outcome) => outcome === 'kept').length,
    removed: outcomes.filter((outcome) => outcome === 'removed').length,
  }
}

const require = createRequire(import.meta.url)

/**
 * What the validation result depends on besides the file: this package's and
 * the workflow package's code (every source file, tests aside, when run from
 * source; the bundle that holds them when built into the server), the
 * installed zod and js-yaml (their resolved folders name version and patch),
 * and Node's version (v8.serialize's format). Computed once per process.
 */
export function validatingCodeFingerprint(): Promise<string> {
  fingerprintOnce ??= computeFingerprint()
  return fingerprintOnce
}
let fingerprintOnce: Promise<string> | undefined

async function computeFingerprint(): Promise<string> {
  const hash = createHash('sha256').update(process.version)
  for (const dependency of ['zod', 'js-yaml']) {
    hash.update(await realpath(require.resolve(dependency)).catch(() => `${dependency} bundled`))
  }
  for (const file of await validatingCodeFiles()) hash.update(file).update(await readFile(file))
  return hash.digest('hex').slice(0, 32)
}

/** The files holding the validating code: the package sources, or the bundle this module was compiled into. */
export async function validatingCodeFiles(): Promise<string[]> {
  const here = fileURLToPath(import.meta.url)
  if (!here.endsWith('.ts')) return [here]
  const workflowSources = dirname(await realpath(require.resolve('@desk/workflow')))
  const files = await Promise.all([dirname(here), workflowSources].map(sourceFilesIn))
  return files.flat()
}

async function sourceFilesIn(directory: string): Promise<string[]> {
  const names = await readdir(directory, { recursive: true })
  return names
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .sort()
    .map((name) => join(directory, name))
}
