import { useTranslation } from 'react-i18next'
import type { TenantPlan } from '@desk/tenant-config'

const shown = (value: unknown) => JSON.stringify(value) ?? ''

/** The dry-run plan: changed fields as paths, workflow changes, moved and stranded proposals. */
export function PlanView({ plan }: { plan: TenantPlan }) {
  const { t } = useTranslation('operator')
  return (
    <section className="operator-plan" aria-labelledby="plan-heading">
      <h2 id="plan-heading">{t('plan.heading', { slug: plan.slug })}</h2>
      <p>{t(`plan.kind.${plan.kind}`)}</p>
      {plan.changes.length > 0 ? (
        <>
          <h3>{t('plan.changes')}</h3>
          <ul>
            {plan.changes.map((change) => (
              <li key={change.path}>
                <code>{change.path}</code> ({t(`plan.${change.kind}`)})
                {change.kind === 'changed' ? (
                  <pre>{`- ${shown(change.before)}\n+ ${shown(change.after)}`}</pre>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.workflow.length > 0 ? (
        <>
          <h3>{t('plan.workflow')}</h3>
          <ul>
            {plan.workflow.map((track) => (
              <li key={track.track}>
                {t('plan.track', { track: track.track, kind: t(`plan.trackKind.${track.kind}`) })}
                <ul>
                  {(['addedSteps', 'removedSteps', 'addedTransitions', 'removedTransitions'] as const)
                    .filter((key) => track[key].length > 0)
                    .map((key) => (
                      <li key={key}>{t(`plan.${key}`, { list: track[key].join(', ') })}</li>
                    ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.moves.length > 0 ? (
        <>
          <h3>{t('plan.moves')}</h3>
          <ul>
            {plan.moves.map((move) => (
              <li key={`${move.track}.${move.from}`}>{t('plan.move', { ...move, count: move.proposals })}</li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.stranded.length > 0 ? (
        <div className="form-alert" role="alert">
          <p>{t('plan.stranded')}</p>
          <ul>
            {plan.stranded.map((item) => (
              <li key={`${item.track}.${item.state}`}>
                {t('plan.strandedItem', { ...item, count: item.proposals })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {plan.mappingProblems.length > 0 ? (
        <div className="form-alert" role="alert">
          <p>{t('plan.mappingProblems')}</p>
          <ul>
            {plan.mappingProblems.map((problem) => (
              <li key={problem}>
                <code>{problem}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  )
}
