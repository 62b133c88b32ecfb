import { z } from 'zod'
import { MAX_TEXT_LENGTH } from '@desk/workflow'
import type { RuntimeDb } from '../../db/runtime'
import { disclosureDecisions } from '../../db/schema/after-decision-values'
import type { ProposalTenant, RequestActor } from '../operations/proposals/context.server'
import { decideDisclosure, giveDisclosureOpinion, recordDisclosureRequest } from '../operations/disclosure/disclosure.server'
import { fields, hidden, intents } from './form-schemas'

const longText = fields.optionalText(MAX_TEXT_LENGTH)
/** Texts by document id (`<name>.<document id>`), as a request's documents are listed on the page. */
const byDocument = <T extends z.ZodTypeAny>(value: T) => z.record(z.string().uuid(), value).default({})

/**
 * The forms of a disclosure page, by their `intent`: a new request (desk; its
 * documents one per line), the proposer's opinion per document, the desk's
 * decision (and its reason) per document.
 */
export const DisclosureFormSchema = intents([
  z.object({
    intent: z.literal('request'),
    receivedOn: fields.requiredDate,
    opinionDueOn: fields.date,
    requesterDescription: fields.requiredText(1000),
    documents: fields.requiredText(50 * 301),
    question: fields.requiredText(MAX_TEXT_LENGTH),
    internalNote: longText,
  }),
  z.object({
    intent: z.literal('opinion'),
    requestId: hidden.id,
    opinion: longText,
    document: byDocument(z.string().trim().max(MAX_TEXT_LENGTH)),
  }),
  z.object({
    intent: z.literal('decide'),
    requestId: hidden.id,
    decision: byDocument(z.enum(['', ...disclosureDecisions])),
    reason: byDocument(z.string().trim().max(MAX_TEXT_LENGTH)),
  }),
])

/** One post to a disclosure page, as its schema read it; the operations decide who may do what. */
export async function actOnDisclosureForm(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    form: z.output<typeof DisclosureFormSchema>
  },
): Promise<void> {
  const { form, ...target } = options
  switch (form.intent) {
    case 'request': {
      const { intent: _intent, ...request } = form
      await recordDisclosureRequest(db, {
        ...target,
        input: {
          ...request,
          documents: request.documents
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
          internalNote: request.internalNote ?? '',
        },
      })
      return
    }
    case 'opinion':
      await giveDisclosureOpinion(db, {
        ...target,
        requestId: form.requestId,
        input: { opinion: form.opinion ?? '', documents: form.document },
      })
      return
    case 'decide':
      await decideDisclosure(db, {
        ...target,
        requestId: form.requestId,
        decisions: Object.entries(form.decision).flatMap(([documentId, decision]) =>
          decision ? [{ documentId, decision, reason: form.reason[documentId] ?? '' }] : [],
        ),
      })
      return
  }
}

/** Where a form's input issues are shown on the page. */
export function disclosureIssuePrefix(form: FormData): string {
  return form.get('intent') === 'request' ? 'request' : ''
}
