/**
 * Lint: fails when source under app/, packages/ or db/ names a city. The
 * forbidden words come from tenants/*.yaml; test files, fixtures,
 * node_modules and build output are not scanned.
 * Usage: tsx packages/tenant-config/src/lint-city-names.ts
 */
import { join } from 'node:path'
import { findCityNames, forbiddenWordsOfDirectory } from './city-names'
import { repositoryRoot, tenantsDirectory } from './repository'

const words = await forbiddenWordsOfDirectory(tenantsDirectory)
const roots = ['app', 'packages', 'db'].map((folder) => join(repositoryRoot, folder))
const hits = await findCityNames(roots, words, repositoryRoot)

if (hits.length > 0) {
  for (const hit of hits) console.error(`${hit.file}:${hit.line} names a city ("${hit.word}"): ${hit.text}`)
  console.error(`${hits.length} line(s) name a city; city-specific content belongs in tenants/*.yaml`)
  process.exit(1)
}
console.log(`OK: no source names a city (${words.length} names from the tenant files checked)`)
