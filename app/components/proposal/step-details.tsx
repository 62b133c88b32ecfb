import { useTranslation } from 'react-i18next'
import { Definition } from '~/components/definitions'

/** What a step of the timeline recorded, by term; empty values are left out. */
export function DetailList({
  details,
  internal,
}: {
  details: [string, string | undefined][]
  internal?: boolean
}) {
  const { t } = useTranslation('desk')
  const given = details.filter((detail): detail is [string, string] => !!detail[1])
  if (given.length === 0) return null
  return (
    <dl className={`facts history__details${internal ? ' history__details--internal' : ''}`}>
      {given.map(([term, value]) => (
        <Definition key={term} term={internal ? `${term}（${t('proposal.internal')}）` : term}>
          <span className="pre-wrap">{value}</span>
        </Definition>
      ))}
    </dl>
  )
}

/**
 * The reason, note and decision a step required, as recorded with it: shown to
 * the city and, on the events the proposer may read, to the proposer.
 */
export function StepDetails({
  entry,
  methodLabel,
}: {
  entry: { reason: string | null; payload: Record<string, unknown> }
  /** The collaboration method's label, where the reader's page knows the methods. */
  methodLabel?: (id: string) => string
}) {
  const { t } = useTranslation('desk')
  const shared = entry.payload as {
    note?: string
    decision?: { grounds?: string; conditions?: string }
    collaborationMethod?: string
    receipt?: { note?: string }
  }
  return (
    <DetailList
      details={[
        [t('proposal.detail.reason'), entry.reason ?? undefined],
        [t('proposal.detail.note'), shared.note || shared.receipt?.note],
        [t('proposal.detail.grounds'), shared.decision?.grounds],
        [t('proposal.detail.conditions'), shared.decision?.conditions],
        [
          t('proposal.detail.method'),
          shared.collaborationMethod && methodLabel ? methodLabel(shared.collaborationMethod) : undefined,
        ],
      ]}
    />
  )
}
