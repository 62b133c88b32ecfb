import { arrangementOf, type TenantConfig } from '@desk/tenant-config'
import type { AgreementArrangement } from '../../../db/schema'

/**
 * How a decided proposal is carried out follows from its collaboration method
 * in the tenant file (`arrangementOf`): the agreement kind it concludes, the
 * no-agreement outcome (協定なし), or a public call. Undefined while no method
 * has been chosen (the decision to proceed has not been taken).
 */
export function arrangementFor(
  config: Pick<TenantConfig, 'collaborationMethods'>,
  methodId: string | null,
): { arrangement: AgreementArrangement; agreementKinds: string[] } | undefined {
  return arrangementOf(config, methodId)
}
