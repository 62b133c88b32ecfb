import { createOwnerSql } from '../owner'
import { applyTenant, planTenantApply, type TenantApplyRequest } from './apply-tenant'

type ConsoleRequest = Omit<TenantApplyRequest, 'tenantsDir'>

/**
 * The owner-side work the operator console may ask for (onboarding a city
 * from its file), on a one-connection owner pool of its own. Built by the
 * server at start-up and handed to routes through the load context, so route
 * modules never import the owner connection.
 */
export function createOperatorTasks(options: { adminUrl: string; tenantsDir: string }) {
  const ownerSql = createOwnerSql(options.adminUrl, { max: 1 })
  return {
    planTenant: (request: ConsoleRequest) =>
      planTenantApply(ownerSql, { ...request, tenantsDir: options.tenantsDir }),
    applyTenant: (
      request: ConsoleRequest & Omit<Parameters<typeof applyTenant>[1], keyof TenantApplyRequest>,
    ) => applyTenant(ownerSql, { ...request, tenantsDir: options.tenantsDir }),
    close: () => ownerSql.end({ timeout: 5 }),
  }
}

export type OperatorTasks = ReturnType<typeof createOperatorTasks>
