import { useTranslation } from 'react-i18next'
import type { GuidelineFlowView } from '~/utils/portal/guideline-flows'
import { TenantText } from './text-language'

/**
 * A flow as the city's guideline publishes it: the steps in order, each
 * saying in words which lanes carry it. On a wide screen each step's box
 * sits under its lanes' headings like the guideline's figure; on a phone the
 * steps stack, so nothing scrolls sideways.
 */
export function GuidelineFlowChart({
  flow,
  headingLevel = 3,
}: {
  flow: GuidelineFlowView
  headingLevel?: 2 | 3
}) {
  const { t } = useTranslation('portal')
  const Heading = `h${headingLevel}` as const
  const laneCount = flow.lanes.length
  return (
    <section className="gflow" aria-labelledby={`gflow-${flow.id}`} data-flow={flow.id}>
      <Heading id={`gflow-${flow.id}`}>
        <TenantText>{flow.title}</TenantText>
      </Heading>
      {flow.appliesTo ? <p className="card__meta">{t('flow.appliesTo', { types: flow.appliesTo })}</p> : null}
      {flow.description ? (
        <p>
          <TenantText>{flow.description}</TenantText>
        </p>
      ) : null}
      {laneCount > 0 ? (
        // The lanes' names head the columns visually; each step also says its lanes in words.
        <div className={`gflow__lanes gflow--lanes-${laneCount}`} aria-hidden="true">
          {flow.lanes.map((lane) => (
            <span key={lane.id} className={`gflow__lane gflow__lane--${lane.id}`}>
              <TenantText>{lane.label}</TenantText>
            </span>
          ))}
        </div>
      ) : null}
      <ol className={`gflow__steps gflow--lanes-${laneCount}`}>
        {flow.steps.map((step) => (
          <li key={step.id} className="gflow__step" data-step={step.id}>
            <div
              className={[
                'gflow__box',
                `gflow__box--start-${step.column.start}`,
                `gflow__box--span-${step.column.span}`,
                step.optional ? 'gflow__box--optional' : '',
              ]
                .filter(Boolean)
                .join(' ')}
            >
              {step.lanes ? (
                <p className="gflow__lanes-of-step">{t('flow.lanesOfStep', { lanes: step.lanes })}</p>
              ) : null}
              {step.label ? (
                <p className="gflow__label">
                  <TenantText>{step.label}</TenantText>
                  {step.optional ? <span className="flow__badge">{t('flow.optional')}</span> : null}
                </p>
              ) : null}
              {step.text ? (
                <p className="gflow__text">
                  <TenantText>{step.text}</TenantText>
                </p>
              ) : null}
              {step.note ? (
                <p className="gflow__note">
                  <TenantText>{step.note}</TenantText>
                </p>
              ) : null}
              {step.byMethod.length > 0 ? (
                <div className="gflow__by-method">
                  <p className="gflow__by-method-title">{t('flow.byMethod', { lead: flow.leadLabel })}</p>
                  <dl>
                    {step.byMethod.map((method) => (
                      <div key={method.id} data-method={method.id}>
                        <dt>
                          <TenantText>{method.label}</TenantText>
                        </dt>
                        {method.phases.map((phase) => (
                          <dd key={phase.id} data-phase={phase.id}>
                            <TenantText>{phase.label}</TenantText>: <TenantText>{phase.leads}</TenantText>
                          </dd>
                        ))}
                      </div>
                    ))}
                  </dl>
                </div>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
      {flow.notes.map((note) => (
        <p key={note} className="note gflow__flow-note">
          <TenantText>{note}</TenantText>
        </p>
      ))}
    </section>
  )
}
