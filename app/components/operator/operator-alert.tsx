import { useTranslation } from 'react-i18next'
import type { OperatorFailure } from '~/operations/operator/errors.server'

/** A refused operator operation: its message and, for files and plans, each problem. */
export function OperatorAlert({ failure }: { failure: OperatorFailure | undefined }) {
  const { t } = useTranslation('operator')
  if (!failure) return null
  return (
    <div className="form-alert" role="alert">
      <p>{t(`errors.${failure.operatorError}`)}</p>
      {failure.problems.length > 0 ? (
        <ul>
          {failure.problems.map((problem) => (
            <li key={problem}>
              <code>{problem}</code>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
