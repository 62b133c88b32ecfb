import type { z } from 'zod'
import type { RuntimeDb } from '../../db/runtime'
import type { ProposalTenant, RequestActor } from '../operations/proposals/context.server'
import { decideDisclosure, giveDisclosureOpinion, recordDisclosureRequest } from '../operations/disclosure/disclosure.server'
import type { DisclosureFormSchema } from './after-decision-forms'

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
