import { readdir, readFile } from 'node:fs/promises'
import { extname, join, relative } from 'node:path'
import { parse } from 'yaml'

/**
 * "No code names a city": the words that would name one are taken from the
 * tenant files themselves (slug, every localized name, the name without its
 * municipal suffix, and the listed other spellings), so a new city file
 * extends the check without touching code.
 */

/** Suffixes that turn a place name into a municipality's name, in the locales we know. */
const MUNICIPAL_SUFFIXES = [/\s+(city|town|village)$/i, /-(shi|machi|mura)$/i, /(市|町|村|区)$/]

/** Too short to search for without matching ordinary words. */
const MINIMUM_WORD_LENGTH = 2

export function forbiddenWordsOf(tenantFileText: string): string[] {
  const data = (parse(tenantFileText) ?? {}) as {
    slug?: unknown
    identity?: { name?: Record<string, unknown>; alsoKnownAs?: unknown }
  }
  const names = Object.values(data.identity?.name ?? {}).filter((name): name is string => typeof name === 'string')
  const alsoKnownAs = Array.isArray(data.identity?.alsoKnownAs) ? data.identity.alsoKnownAs : []
  const words = [data.slug, ...names, ...names.map(withoutMunicipalSuffix), ...alsoKnownAs]
  return [...new Set(words.filter((word): word is string => typeof word === 'string' && word.trim().length >= MINIMUM_WORD_LENGTH))]
}

function withoutMunicipalSuffix(name: string): string {
  return MUNICIPAL_SUFFIXES.reduce((stripped, suffix) => stripped.replace(suffix, ''), name.trim())
}

export async function forbiddenWordsOfDirectory(tenantsDirectory: string): Promise<string[]> {
  const files = (await readdir(tenantsDirectory)).filter((name) => /\.ya?ml$/.test(name))
  const texts = await Promise.all(files.map((name) => readFile(join(tenantsDirectory, name), 'utf8')))
  return [...new Set(texts.flatMap(forbiddenWordsOf))]
}

const SOURCE_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.mjs', '.sql'])
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'build', 'fixtures'])

function isScannedSource(name: string): boolean {
  return SOURCE_EXTENSIONS.has(extname(name)) && !/\.test\.[a-z]+$/.test(name)
}

async function* sourceFiles(directory: string): AsyncGenerator<string> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => [])
  for (const entry of entries) {
    const path = join(directory, entry.name)
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name) && !entry.name.startsWith('.')) yield* sourceFiles(path)
    else if (entry.isFile() && isScannedSource(entry.name)) yield path
  }
}

export interface CityNameHit {
  file: string
  line: number
  word: string
  text: string
}

/** Every line of a scanned source under `roots` that contains a forbidden word (case-insensitive). */
export async function findCityNames(roots: readonly string[], words: readonly string[], relativeTo: string): Promise<CityNameHit[]> {
  if (words.length === 0) return []
  const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const pattern = new RegExp(escaped.join('|'), 'i')
  const hits: CityNameHit[] = []
  for (const root of roots) {
    for await (const file of sourceFiles(root)) {
      const lines = (await readFile(file, 'utf8')).split('\n')
      lines.forEach((text, index) => {
        const match = pattern.exec(text)
        if (match) hits.push({ file: relative(relativeTo, file), line: index + 1, word: match[0], text: text.trim() })
      })
    }
  }
  return hits
}
