import { useTranslation } from 'react-i18next'
import type { InvolvementView, RoleMatrixView } from '~/utils/portal/views'

/**
 * The role matrix as the guideline prints it: for each collaboration method
 * and phase, how far the desk and the department are involved (◎ ○ △ —).
 * Each symbol carries its meaning as text for screen readers, and the legend
 * is printed below.
 */
export function RoleMatrixTable({ matrix, caption }: { matrix: RoleMatrixView; caption: string }) {
  const { t } = useTranslation('portal')
  return (
    <>
      {/* A region that scrolls sideways on a phone must be reachable by keyboard (WCAG 2.1.1). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="table-scroller" role="region" aria-labelledby="role-matrix-caption" tabIndex={0}>
        <table className="role-matrix">
          <caption id="role-matrix-caption">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('methods.matrixMethod')}</th>
              <th scope="col">{t('methods.matrixPhase')}</th>
              {matrix.parties.map((party) => (
                <th scope="col" key={party.id}>
                  {party.label}
                </th>
              ))}
            </tr>
          </thead>
          {matrix.methods.map((method) => (
            <tbody key={method.id}>
              {method.phases.map((phase, index) => (
                <tr key={phase.id}>
                  {index === 0 ? (
                    <th scope="rowgroup" rowSpan={method.phases.length} className="role-matrix__method">
                      {method.label}
                    </th>
                  ) : null}
                  <th scope="row">{phase.label}</th>
                  {matrix.parties.map((party) => (
                    <td key={party.id} className="role-matrix__cell">
                      <InvolvementSymbol involvement={phase.involvement[party.id]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
      <div className="role-matrix__legend">
        <p className="role-matrix__legend-title">{t('methods.legend')}</p>
        <dl>
          {matrix.legend.map((entry) => (
            <div key={entry.level}>
              <dt>{entry.symbol}</dt>
              <dd>{entry.label}</dd>
            </div>
          ))}
        </dl>
      </div>
    </>
  )
}

function InvolvementSymbol({ involvement }: { involvement: InvolvementView | undefined }) {
  if (!involvement) return null
  return (
    <>
      <span aria-hidden="true" className={`involvement involvement--${involvement.level}`}>
        {involvement.symbol}
      </span>
      <span className="visually-hidden">{involvement.label}</span>
    </>
  )
}
