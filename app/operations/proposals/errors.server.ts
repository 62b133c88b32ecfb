import type { WorkflowError } from '@desk/workflow'
import { AppError } from '../app-error'

/**
 * The engine's refusals in the platform's terms. An actor the engine does not
 * let act is `forbidden`; a transition that does not apply to the proposal as
 * it stands (state, track, method) is `invalid_transition`.
 */
export function proposalErrorFromWorkflow(error: WorkflowError): AppError {
  switch (error.code) {
    case 'actor_not_allowed':
      return new AppError('forbidden', error.message)
    case 'missing_requirement':
      return new AppError('missing_requirement', error.message, {
        issues: error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      })
    case 'unknown_state':
    case 'unknown_transition':
    case 'terminal_state':
    case 'not_from_this_state':
    case 'method_not_applicable':
      return new AppError('invalid_transition', error.message)
  }
}
