import { useTranslation } from 'react-i18next'
import type { AppFailure } from '~/http/errors.server'

/** A refused operator operation: its message and, for files and plans, each problem. */
export function OperatorAlert({ failure }: { failure: AppFailure | undefined }) {
  const { t } = useTranslation('operator')
  if (!failure) return null
  return (
    <div className="form-alert" role="alert">
      <p>{t(failure.formError, { minutes: failure.retryAfterMinutes })}</p>
      {failure.problems?.length ? (
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
