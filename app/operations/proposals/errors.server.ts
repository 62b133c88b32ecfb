import type { WorkflowError } from '@desk/workflow'

/** Why a proposal operation refused; mapped to HTTP and a message at the edge (../errors.server.ts). */
export const proposalErrorCodes = [
  'not_found',
  'conflict',
  'forbidden',
  'invalid_transition',
  'missing_requirement',
  'invalid_input',
  'ineligible',
  'limit_reached',
] as const
export type ProposalErrorCode = (typeof proposalErrorCodes)[number]

/** One problem with the input, located by its path (a form field, a requirement piece, a note id). */
export type InputIssue = { path: (string | number)[]; message: string }

export class ProposalError extends Error {
  override readonly name = 'ProposalError'
  constructor(
    readonly code: ProposalErrorCode,
    message: string,
    /** What the caller can show or fix: input issues, the criterion that blocked, the current version… */
    readonly details: {
      issues?: InputIssue[]
      criterionId?: string
      currentVersion?: number
      /** For `limit_reached`: the limit, for the message. */
      limit?: number
    } = {},
  ) {
    super(message)
  }
}

/**
 * The engine's refusals in the platform's terms. An actor the engine does not
 * let act is `forbidden`; a transition that does not apply to the proposal as
 * it stands (state, track, method) is `invalid_transition`.
 */
export function proposalErrorFromWorkflow(error: WorkflowError): ProposalError {
  switch (error.code) {
    case 'actor_not_allowed':
      return new ProposalError('forbidden', error.message)
    case 'missing_requirement':
      return new ProposalError('missing_requirement', error.message, {
        issues: error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      })
    case 'unknown_state':
    case 'unknown_transition':
    case 'terminal_state':
    case 'not_from_this_state':
    case 'method_not_applicable':
      return new ProposalError('invalid_transition', error.message)
  }
}

/** Refuses bad input with one issue per problem, each message prefixed with its path (`a.b must …`). */
export function invalidInput(
  issues: readonly { path: (string | number)[]; message: string }[],
  message = 'The input is not valid',
): never {
  throw new ProposalError('invalid_input', message, {
    issues: issues.map((issue) => ({
      path: issue.path,
      message: `${issue.path.join('.')} ${issue.message}`,
    })),
  })
}
