import type { RuntimeDb } from '../../db/runtime'
import { formText } from './experiment-form.server'
import type { ProposalTenant, RequestActor } from '../operations/proposals/context.server'
import { decideDisclosure, giveDisclosureOpinion, recordDisclosureRequest } from '../operations/disclosure/disclosure.server'
import { AppError } from '../operations/app-error'

/**
 * One post to a disclosure page, for either side, by its `intent`: a new
 * request (desk), the proposer's opinion, the desk's decisions. The operations
 * decide who may do what (a refusal is thrown as theirs).
 */
export async function actOnDisclosureForm(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; form: FormData },
): Promise<void> {
  const { form, ...target } = options
  const value = formText(form)
  /** The `prefix.<id>` fields of the form, by id. */
  const byId = (prefix: string) =>
    Object.fromEntries(
      [...form.keys()]
        .filter((key) => key.startsWith(`${prefix}.`))
        .map((key) => [key.slice(prefix.length + 1), value(key)]),
    )
  switch (value('intent')) {
    case 'request':
      await recordDisclosureRequest(db, {
        ...target,
        input: {
          receivedOn: value('receivedOn'),
          opinionDueOn: value('opinionDueOn') || undefined,
          requesterDescription: value('requesterDescription'),
          documents: value('documents')
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
          question: value('question'),
          internalNote: value('internalNote'),
        },
      })
      return
    case 'opinion':
      await giveDisclosureOpinion(db, {
        ...target,
        requestId: value('requestId'),
        input: { opinion: value('opinion'), documents: byId('document') },
      })
      return
    case 'decide': {
      const reasons = byId('reason')
      await decideDisclosure(db, {
        ...target,
        requestId: value('requestId'),
        decisions: Object.entries(byId('decision'))
          .filter(([, decision]) => decision !== '')
          .map(([documentId, decision]) => ({
            documentId,
            decision: decision as 'disclose',
            reason: reasons[documentId] ?? '',
          })),
      })
      return
    }
    default:
      throw new AppError('invalid_input', 'Unknown form', {
        issues: [{ path: ['intent'], message: 'is not a form of this page' }],
      })
  }
}

/** Where a form's input issues are shown on the page. */
export function disclosureIssuePrefix(form: FormData): string {
  return form.get('intent') === 'request' ? 'request' : ''
}
