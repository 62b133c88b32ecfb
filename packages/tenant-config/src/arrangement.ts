import type { TenantConfig } from './schema'

/**
 * How a decided proposal is carried out, from its collaboration method: under
 * an agreement (the method names an agreement kind), with no agreement (協定なし,
 * the file's `noAgreement` outcome), or handed to a public call / procurement.
 */
export const ARRANGEMENTS = ['agreement', 'no_agreement', 'public_call'] as const
export type Arrangement = (typeof ARRANGEMENTS)[number]

export type MethodArrangement = { arrangement: Arrangement; agreementKinds: string[] }

/** The arrangement of a collaboration method; undefined while no (known) method is chosen. */
export function arrangementOf(
  config: Pick<TenantConfig, 'collaborationMethods'>,
  methodId: string | null,
): MethodArrangement | undefined {
  const method = config.collaborationMethods.find((candidate) => candidate.id === methodId)
  if (!method) return undefined
  if (method.agreementKind) return { arrangement: 'agreement', agreementKinds: [method.agreementKind] }
  if (method.viaPublicCall) return { arrangement: 'public_call', agreementKinds: [] }
  return { arrangement: 'no_agreement', agreementKinds: [] }
}

/** Whether some method of the file is carried out without an agreement, so the outcome needs a label. */
export function hasNoAgreementOutcome(config: Pick<TenantConfig, 'collaborationMethods'>): boolean {
  return config.collaborationMethods.some(
    (method) => arrangementOf(config, method.id)?.arrangement === 'no_agreement',
  )
}
