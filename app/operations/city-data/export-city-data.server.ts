import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import type { AppLoadContext } from '@remix-run/node'
import contentDisposition from 'content-disposition'
import { auditLog } from '../../../db/schema'
import { writeCityArchive } from '../../../db/tenant-archive/export'
import { archiveFiles } from '../../../db/tenant-archive/files'
import { packArchive } from '../../../db/tenant-archive/format'
import { withCityRole } from '~/http/guards.server'


/**
 * All of a city's data, as its desk admin may read it: the archive format of
 * `pnpm tenants:export` (docs/decisions/010-moving-a-city.md) with purpose
 * `city` — every tenant table's rows under the admin's own row-level security,
 * the accounts and organisations they refer to without credentials, the files
 * — read in the admin's tenant transaction, which also records the download
 * in the city's audit log. The archive is written to a temporary directory
 * and streamed as the download; the directory goes when the stream ends.
 */
export async function exportCityData(
  context: AppLoadContext,
  options: { citySlug: string | undefined; request: Request; ip: string | null },
): Promise<Response> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'desk-city-data-'))
  try {
    const { manifest, slug } = await withCityRole(context, options.citySlug, ['desk_admin'], options.request, async (staff, tx) => {
      const manifest = await writeCityArchive({
        run: async (query) => [...(await tx.execute(query))] as Record<string, unknown>[],
        tenantId: staff.tenantId,
        purpose: 'city',
        directory: path.join(directory, 'entries'),
        // Files are read from the store in its own transactions (the admin's context reads no chunk).
        readFile: archiveFiles(context.files).read,
      })
      await tx.insert(auditLog).values({
        tenantId: staff.tenantId,
        actorUserId: staff.user.id,
        actorKind: 'staff',
        action: 'city_data.exported',
        targetType: 'tenant',
        targetId: staff.tenantId,
        ip: options.ip,
        payload: {
          rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
          files: manifest.files.length,
        },
      })
      return { manifest, slug: staff.citySlug }
    })
    const archive = path.join(directory, 'archive.tar.gz')
    await packArchive(path.join(directory, 'entries'), manifest, archive)
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
