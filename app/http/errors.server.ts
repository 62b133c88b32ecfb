import { ProposalError, type ProposalErrorCode } from '../operations/proposals/errors.server'

export type HttpError = {
  status: number
  /** Key in app/locales/{ja,en}/common.json under `errors.operation`. */
  messageKey: `errors.operation.${ProposalErrorCode}`
  details: ProposalError['details']
}

const statusByCode: Record<ProposalErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  // The request is well formed but the proposal is not in a state where it applies.
  invalid_transition: 409,
  missing_requirement: 422,
  invalid_input: 422,
  ineligible: 422,
  // Too many of something the caller keeps (drafts): they must finish or reuse one first.
  limit_reached: 422,
}

/**
 * The one place an operation's refusal becomes an HTTP answer. Anything that is
 * not a refusal (a bug, the database gone) is not ours to word: it is
 * rethrown for the error boundary.
 */
export function toHttpError(error: unknown): HttpError {
  if (!(error instanceof ProposalError)) throw error
  return {
    status: statusByCode[error.code],
    messageKey: `errors.operation.${error.code}`,
    details: error.details,
  }
}
