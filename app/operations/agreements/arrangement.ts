import type { TenantConfig } from '@desk/tenant-config'
import type { AgreementArrangement } from '../../../db/schema'

/**
 * How a decided proposal is carried out follows from its collaboration method
 * in the tenant file: a method naming an agreement kind concludes that
 * agreement; a method via a public call hands the work to a tender or public
 * call; any other method goes ahead without an agreement. Undefined while no
 * method has been chosen (the decision to proceed has not been taken).
 */
export function arrangementFor(
  config: Pick<TenantConfig, 'collaborationMethods' | 'agreementKinds'>,
  methodId: string | null,
): { arrangement: AgreementArrangement; agreementKinds: string[] } | undefined {
  const method = config.collaborationMethods.find((candidate) => candidate.id === methodId)
  if (!method) return undefined
  if (method.agreementKind) return { arrangement: 'agreement', agreementKinds: [method.agreementKind] }
  if (method.viaPublicCall) return { arrangement: 'public_call', agreementKinds: [] }
  return { arrangement: 'none', agreementKinds: [] }
}
