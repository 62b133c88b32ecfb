import { createReadStream } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import path from 'node:path'
import { packArchive, type Manifest } from '.'
import { unpackArchive } from './format'

/** Unpacks an archive under `work`, lets `change` edit its entries or manifest, and packs it again there. */
export async function alterArchive(
  work: string,
  archive: string,
  change: (directory: string, manifest: Manifest) => Promise<Manifest | void>,
): Promise<string> {
  const directory = await mkdtemp(path.join(work, 'alter-'))
  const manifest = await unpackArchive(createReadStream(archive), directory)
  const next = (await change(directory, manifest)) ?? manifest
  const out = path.join(work, `altered-${path.basename(directory)}.tar.gz`)
  await packArchive(directory, next, out)
  return out
}
