import { useTranslation } from 'react-i18next'
import type { ProposalTypeView } from '~/utils/portal/views'
import { TenantText } from './text-language'

/** Each proposal type: what it is and where it is received. */
export function ProposalTypeList({
  proposalTypes,
  headingLevel,
}: {
  proposalTypes: ProposalTypeView[]
  headingLevel: 2 | 3
}) {
  const { t } = useTranslation('portal')
  const Heading = `h${headingLevel}` as const
  return (
    <ul className="card-list card-list--wide">
      {proposalTypes.map((type) => (
        <li key={type.id} className="card" id={`type-${type.id}`}>
          <Heading className="card__title">
            <TenantText>{type.label}</TenantText>
          </Heading>
          <p>
            <TenantText>{type.description}</TenantText>
          </p>
          <p className="card__meta">
            {t('proposalTypes.channels', {
              channels: type.intakeChannels
                .map((channel) => t(`proposalTypes.channel.${channel}`))
                .join(t('flow.separator')),
            })}
          </p>
        </li>
      ))}
    </ul>
  )
}
