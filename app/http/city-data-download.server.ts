import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { AppLoadContext } from '@remix-run/node'
import contentDisposition from 'content-disposition'
import { archiveFiles } from '../../db/tenant-archive/files'
import { packArchive } from '../../db/tenant-archive/format'
import { exportCityData } from '../operations/city-data/export-city-data.server'
import { withCityRole } from './guards.server'

/**
 * The city's data archive as a download for its desk admin: the archive is
 * written (exportCityData, in the admin's tenant transaction) to a temporary
 * directory, packed, and streamed; the directory goes when the stream ends.
 */
export async function cityDataDownload(
  context: AppLoadContext,
  options: { citySlug: string | undefined; request: Request; ip: string | null },
): Promise<Response> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'desk-city-data-'))
  const entries = path.join(directory, 'entries')
  try {
    const { manifest, slug } = await withCityRole(
      context,
      options.citySlug,
      ['desk_admin'],
      options.request,
      async (staff, tx) => {
        // Files are read from the store in its own transactions (the admin's context reads no chunk).
        const readFile = archiveFiles(context.files).read
        const manifest = await exportCityData(tx, { staff, directory: entries, readFile, ip: options.ip })
        return { manifest, slug: staff.citySlug }
      },
    )
    const archive = path.join(directory, 'archive.tar.gz')
    await packArchive(entries, manifest, archive)
    const { size } = await stat(archive)
    const stream = createReadStream(archive)
    stream.once('close', () => void rm(directory, { recursive: true, force: true }))
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      headers: {
        'Content-Type': 'application/gzip',
        'Content-Length': String(size),
        'Content-Disposition': contentDisposition(`${slug}-data-${manifest.createdAt.slice(0, 10)}.tar.gz`, {
          type: 'attachment',
        }),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, no-store',
      },
    })
  } catch (error) {
    await rm(directory, { recursive: true, force: true })
    throw error
  }
}
