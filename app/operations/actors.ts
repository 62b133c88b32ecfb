import type { CityRole } from '../../db/schema'
import type { TenantContext } from '../../db/tenant-context'
import type { SessionUser } from '../utils/auth.server'

/**
 * Who an operation acts for, as the edge's guards (app/http/guards.server.ts,
 * require-operator.server.ts) establish it. The types live here, below the
 * edge, so operations name their actor without importing the HTTP layer.
 */

/** A member of a city's staff, checked in the city. */
export type CityStaff = {
  user: SessionUser
  tenantId: string
  citySlug: string
  role: CityRole
  departmentId: string | null
  /** The tenant file's id of a department member's department (null for the desk). */
  departmentKey: string | null
  /** The context to pass to withTenant for this staff member's work in the city. */
  tenantContext: TenantContext
}

/** A member of an organisation, checked in it. */
export type OrganisationMember = {
  user: SessionUser
  organisationId: string
  role: 'owner' | 'member'
  /** The context to pass to withTenant for this member's work: as a proposer, in no city. */
  tenantContext: TenantContext
}

/** A platform operator whose session has given its second factor (or is giving it). */
export type Operator = { user: SessionUser; sessionId: string; tenantContext: TenantContext }
