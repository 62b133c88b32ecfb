import { useTranslation } from 'react-i18next'
import type { FlowStepView, FlowView } from '~/utils/portal/views'

/**
 * A track's flow chart, generated from the tenant file: a swimlane table
 * (stages as rows, the proposer / desk / department lanes as columns) and,
 * below it, the same flow as an ordered list for anyone who does not read
 * tables or charts.
 */
export function FlowChart({ flow, headingLevel = 3 }: { flow: FlowView; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation('portal')
  const Heading = `h${headingLevel}` as const
  const SubHeading = `h${headingLevel + 1}` as 'h3' | 'h4'
  const captionId = `flow-${flow.id}-caption`
  return (
    <section className="flow" aria-labelledby={`flow-${flow.id}`}>
      <Heading id={`flow-${flow.id}`}>{flow.title}</Heading>
      {flow.appliesTo ? <p className="card__meta">{t('flow.appliesTo', { types: flow.appliesTo })}</p> : null}
      {flow.description ? <p>{flow.description}</p> : null}
      <p className="flow__scroll-hint">{t('flow.scrollHint')}</p>
      {/* A region that scrolls sideways on a phone must be reachable by keyboard (WCAG 2.1.1). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="flow__scroller" role="region" aria-labelledby={captionId} tabIndex={0}>
        <table className="flow__chart">
          <caption id={captionId}>{t('flow.caption', { title: flow.title })}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">{t('flow.stage')}</span>
              </th>
              {flow.lanes.map((lane) => (
                <th scope="col" key={lane.id} className={`flow__lane flow__lane--${lane.id}`}>
                  {lane.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {flow.rows.map((row, index) => (
              <tr key={row.map((step) => step.id).join('-')}>
                <th scope="row" className="flow__stage">
                  <span aria-hidden="true">{index + 1}</span>
                  <span className="visually-hidden">{t('flow.stageNumber', { number: index + 1 })}</span>
                </th>
                {flow.lanes.map((lane) => (
                  <td key={lane.id} className={`flow__cell flow__cell--${lane.id}`}>
                    {row
                      .filter((step) => step.lane === lane.id)
                      .map((step) => (
                        <StepBox key={step.id} step={step} />
                      ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="flow__legend">
        <span className="flow__key flow__key--optional" aria-hidden="true" /> {t('flow.legendOptional')}
        <span className="flow__key flow__key--terminal" aria-hidden="true" /> {t('flow.legendTerminal')}
      </p>
      {flow.withdrawal ? (
        <p className="note">{t('flow.withdrawal', flow.withdrawal)}</p>
      ) : null}
      <SubHeading className="flow__text-heading">
        {t('flow.textEquivalent', { title: flow.title })}
      </SubHeading>
      <ol className="flow__text">
        {flow.rows.flat().map((step) => (
          <li key={step.id}>
            <strong>{step.label}</strong>
            {` (${step.laneLabel}${step.optional ? `・${t('flow.optional')}` : ''})`}
            {step.description ? <p>{step.description}</p> : null}
            {step.next.length > 0 ? (
              <p>
                {t('flow.next')}{' '}
                {step.next.map((link) => `${link.label} → ${link.toLabel}`).join(t('flow.separator'))}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  )
}

function StepBox({ step }: { step: FlowStepView }) {
  const { t } = useTranslation('portal')
  const modifiers = [step.optional && 'flow__step--optional', step.terminal && 'flow__step--terminal'].filter(
    Boolean,
  )
  return (
    <div className={['flow__step', ...modifiers].join(' ')}>
      <p className="flow__step-label">
        {step.label}
        {step.optional ? <span className="flow__badge">{t('flow.optional')}</span> : null}
      </p>
      {step.next.length > 0 ? (
        <ul className="flow__next" aria-label={t('flow.nextSteps')}>
          {step.next.map((link) => (
            <li key={`${link.toId}-${link.label}`}>
              <span aria-hidden="true">{link.back ? '↩' : '↓'}</span> {link.toLabel}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
