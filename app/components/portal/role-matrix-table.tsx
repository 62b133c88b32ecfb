import { useTranslation } from 'react-i18next'
import type { InvolvementView, RoleMatrixView } from '~/utils/portal/views'
import { TenantText } from './text-language'

/**
 * The role matrix as the guideline prints it: for each collaboration method
 * and phase, how far the desk and the department are involved (◎ ○ △ —).
 * One simple table per method, captioned by the method, so every cell has
 * exactly one column and one row header (no header attributes to maintain,
 * pa11y H43) and three columns fit a phone. Each symbol carries its meaning
 * as text for screen readers, and the legend is printed below.
 */
export function RoleMatrixTable({ matrix, caption }: { matrix: RoleMatrixView; caption: string }) {
  const { t } = useTranslation('portal')
  return (
    <>
      <p className="role-matrix__caption" id="role-matrix-caption">
        {caption}
      </p>
      <div className="role-matrix__tables" role="group" aria-labelledby="role-matrix-caption">
        {matrix.methods.map((method) => (
          <table key={method.id} className="role-matrix">
            <caption className="role-matrix__method">
              <TenantText>{method.label}</TenantText>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('methods.matrixPhase')}</th>
                {matrix.parties.map((party) => (
                  <th scope="col" key={party.id}>
                    <TenantText>{party.label}</TenantText>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {method.phases.map((phase) => (
                <tr key={phase.id}>
                  <th scope="row">
                    <TenantText>{phase.label}</TenantText>
                  </th>
                  {matrix.parties.map((party) => (
                    <td key={party.id} className="role-matrix__cell">
                      <InvolvementSymbol involvement={phase.involvement[party.id]} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <div className="role-matrix__legend">
        <p className="role-matrix__legend-title">{t('methods.legend')}</p>
        <dl>
          {matrix.legend.map((entry) => (
            <div key={entry.level}>
              <dt>{entry.symbol}</dt>
              <dd>
                <TenantText>{entry.label}</TenantText>
              </dd>
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
