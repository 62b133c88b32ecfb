import { json } from '@remix-run/node'

/** Why an operator operation refused; the console shows `operator:errors.<code>`. */
export const operatorErrorStatus = {
  invalid_code: 400,
  replayed_code: 400,
  throttled: 429,
  already_enrolled: 409,
  invalid_file: 422,
  plan_refused: 409,
  unknown_city: 404,
} as const

export type OperatorErrorCode = keyof typeof operatorErrorStatus

export class OperatorError extends Error {
  constructor(
    readonly code: OperatorErrorCode,
    /** Problems to list under the message (invalid tenant file, refused plan). */
    readonly problems: string[] = [],
  ) {
    super(code)
  }
}

export type OperatorFailure = { operatorError: OperatorErrorCode; problems: string[] }

/** An OperatorError as the action's answer; anything else goes to the error boundary. */
export function operatorRefusal(error: unknown) {
  if (!(error instanceof OperatorError)) throw error
  return json<OperatorFailure>(
    { operatorError: error.code, problems: error.problems },
    { status: operatorErrorStatus[error.code] },
  )
}
