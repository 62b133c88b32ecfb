import { auditLog } from '../../../db/schema'
import type { TenantTx } from '../../../db/tenant-context'
import { writeCityArchive } from '../../../db/tenant-archive/export'
import type { FileReader } from '../../../db/tenant-archive/files'
import type { Manifest } from '../../../db/tenant-archive/format'
import type { CityStaff } from '../actors'

/**
 * All of a city's data, as its desk admin may read it: the archive format of
 * `pnpm tenants:export` (docs/decisions/010-moving-a-city.md) with purpose
 * `city` — every tenant table's rows under the admin's own row-level security,
 * the accounts and organisations they refer to without credentials, the files
 * — written under `directory` in the admin's tenant transaction, which also
 * records the download in the city's audit log.
 */
export async function exportCityData(
  tx: TenantTx,
  options: { staff: CityStaff; directory: string; readFile: FileReader; ip: string | null },
): Promise<Manifest> {
  const { staff } = options
  const manifest = await writeCityArchive({
    run: async (query) => [...(await tx.execute(query))] as Record<string, unknown>[],
    tenantId: staff.tenantId,
    purpose: 'city',
    directory: options.directory,
    readFile: options.readFile,
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
  return manifest
}

