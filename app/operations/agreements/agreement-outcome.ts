import type { TFunction } from 'i18next'
import { arrangementOf, type TenantConfig } from '@desk/tenant-config'
import { tenantText } from '~/utils/tenant-text'

/** A decided proposal's outcome as to an agreement, by its label in the reader's language. */
export type AgreementOutcomeView = {
  label: string
  /** The label is the platform's default wording: the tenant file does not word the outcome. */
  platformWording: boolean
}

/**
 * What the chosen collaboration method concludes: its agreement kind (the
 * file's label), no agreement (協定なし: the file's `noAgreement` label, or the
 * platform's default label, marked as such), or the public call it goes to.
 * Null while no method is chosen.
 */
export function agreementOutcome(
  config: Pick<TenantConfig, 'collaborationMethods' | 'agreementKinds' | 'noAgreement' | 'defaultLocale'>,
  methodId: string | null,
  locale: string,
  t: TFunction,
): AgreementOutcomeView | null {
  const arrangement = arrangementOf(config, methodId)
  if (!arrangement) return null
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  switch (arrangement.arrangement) {
    case 'agreement':
      return {
        label: arrangement.agreementKinds
          .map(
            (kind) => text(config.agreementKinds.find((candidate) => candidate.id === kind)?.label) || kind,
          )
          .join(t('after:agreement.partiesSeparator')),
        platformWording: false,
      }
    case 'no_agreement':
      return config.noAgreement
        ? { label: text(config.noAgreement.label), platformWording: false }
        : { label: t('after:outcome.noAgreement'), platformWording: true }
    case 'public_call':
      return { label: t('after:arrangement.public_call'), platformWording: false }
  }
}
