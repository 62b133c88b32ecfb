import { z } from 'zod'
import { experimentChecklist, type TenantConfig } from '@desk/tenant-config'
import { MAX_TEXT_LENGTH } from '@desk/workflow'
import {
  acknowledgeCostRule,
  receiveReport,
  recordPermit,
  saveChecklistItem,
  saveExperimentDetails,
} from '../operations/experiments/experiments.server'
import type { ProposalTenant, RequestActor } from '../operations/proposals/context.server'
import type { RuntimeDb } from '../../db/runtime'
import { fields, hidden, intents } from './form-schemas'

/** Today in Japan, as YYYY-MM-DD: the day a ticked item without a date was done. */
export function todayInJapan(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(now)
}

/**
 * The forms of an experiment page, for either side, by their `intent`: a
 * checklist item (by its key in the city's checklist), a permit, the city's
 * offers, period and attendance, the report's receipt, the cost rule's
 * acknowledgement. Items and offers are the city's own (its tenant file).
 */
export function experimentFormSchema(config: TenantConfig) {
  const shortText = fields.optionalText(200)
  const longText = fields.optionalText(MAX_TEXT_LENGTH)
  return intents([
    z.object({
      intent: z.literal('item'),
      itemKey: hidden.key(experimentChecklist(config).map((entry) => entry.key)),
      ownerName: shortText,
      dueOn: fields.date,
      done: z.literal('on').optional(),
      doneOn: fields.date,
      note: longText,
    }),
    z.object({
      intent: z.literal('permit'),
      kind: fields.requiredText(200),
      issuedBy: fields.requiredText(200),
      reference: fields.requiredText(200),
      issuedOn: fields.requiredDate,
      validUntil: fields.date,
    }),
    z.object({
      intent: z.literal('details'),
      offers: fields.someOf(config.experimentSupport?.cityOffers.map((offer) => offer.id) ?? []),
      periodFrom: fields.date,
      periodUntil: fields.date,
      attendedOn: fields.date,
      attendedBy: fields.optionalText(500),
    }),
    z.object({ intent: z.literal('receipt'), receivedOn: fields.requiredDate, note: longText }),
    z.object({ intent: z.literal('acknowledge'), acknowledged: z.literal('on') }),
  ])
}

export type ExperimentForm = z.output<ReturnType<typeof experimentFormSchema>>

/** One post to an experiment page, as its schema read it; the operations decide who may do what. */
export async function actOnExperimentForm(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; form: ExperimentForm },
): Promise<void> {
  const { form, ...target } = options
  switch (form.intent) {
    case 'item':
      await saveChecklistItem(db, {
        ...target,
        itemKey: form.itemKey,
        input: {
          ownerName: form.ownerName ?? '',
          dueOn: form.dueOn,
          doneOn: form.done ? (form.doneOn ?? todayInJapan()) : undefined,
          note: form.note ?? '',
        },
      })
      return
    case 'permit': {
      const { intent: _intent, ...input } = form
      await recordPermit(db, { ...target, input })
      return
    }
    case 'details': {
      const { intent: _intent, ...input } = form
      await saveExperimentDetails(db, { ...target, input })
      return
    }
    case 'receipt':
      await receiveReport(db, { ...target, input: { receivedOn: form.receivedOn, note: form.note ?? '' } })
      return
    case 'acknowledge':
      await acknowledgeCostRule(db, target)
      return
  }
}

/** Where a form's input issues are shown: under the item's key, or the form's name. */
export function issuePrefix(form: FormData): string {
  const intent = String(form.get('intent') ?? '')
  if (intent === 'item') return String(form.get('itemKey') ?? '')
  return intent === 'details' || intent === 'permit' || intent === 'receipt' ? intent : ''
}
