import type { z } from 'zod'
import { dateFormat, experimentChecklist, type TenantConfig } from '@desk/tenant-config'
import {
  acknowledgeCostRule,
  receiveReport,
  recordPermit,
  saveChecklistItem,
  saveExperimentDetails,
} from '../operations/experiments/experiments.server'
import type { ProposalTenant, RequestActor } from '../operations/proposals/context.server'
import type { RuntimeDb } from '../../db/runtime'
import { experimentFormSchema } from './after-decision-forms'

/** Today in Japan, as YYYY-MM-DD: the day a ticked item without a date was done. */
export function todayInJapan(now = new Date()): string {
  return dateFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(now)
}

/** The experiment forms' schema with the city's checklist and offers (its tenant file). */
export function experimentFormSchemaFor(config: TenantConfig) {
  return experimentFormSchema({
    itemKeys: experimentChecklist(config).map((entry) => entry.key),
    offerIds: config.experimentSupport?.cityOffers.map((offer) => offer.id) ?? [],
  })
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
