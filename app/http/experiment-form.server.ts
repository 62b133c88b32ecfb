import {
  acknowledgeCostRule,
  receiveReport,
  recordPermit,
  saveChecklistItem,
  saveExperimentDetails,
} from '../operations/experiments/experiments.server'
import type { ProposalTenant, RequestActor } from '../operations/proposals/context.server'
import type { RuntimeDb } from '../../db/runtime'
import { AppError } from '../operations/app-error'

/** Today in Japan, as YYYY-MM-DD: the day a ticked item without a date was done. */
export function todayInJapan(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(now)
}

/** A form's text fields, trimmed; a missing or file field reads as ''. */
export function formText(form: FormData): (name: string) => string {
  return (name) => {
    const given = form.get(name)
    return typeof given === 'string' ? given.trim() : ''
  }
}

/**
 * One post to an experiment page, for either side, by its `intent`; the
 * operations decide who may do what (a refusal is thrown as theirs).
 */
export async function actOnExperimentForm(
  db: RuntimeDb,
  options: { tenant: ProposalTenant; actor: RequestActor; proposalId: string; form: FormData },
): Promise<void> {
  const { form, ...target } = options
  const value = formText(form)
  switch (value('intent')) {
    case 'item': {
      const done = form.get('done') !== null
      await saveChecklistItem(db, {
        ...target,
        itemKey: value('itemKey'),
        input: {
          ownerName: value('ownerName'),
          dueOn: value('dueOn'),
          doneOn: done ? value('doneOn') || todayInJapan() : '',
          note: value('note'),
        },
      })
      return
    }
    case 'permit':
      await recordPermit(db, {
        ...target,
        input: {
          kind: value('kind'),
          issuedBy: value('issuedBy'),
          reference: value('reference'),
          issuedOn: value('issuedOn'),
          validUntil: value('validUntil'),
        },
      })
      return
    case 'details':
      await saveExperimentDetails(db, {
        ...target,
        input: {
          offers: form.getAll('offers').map(String),
          periodFrom: value('periodFrom'),
          periodUntil: value('periodUntil'),
          attendedOn: value('attendedOn'),
          attendedBy: value('attendedBy'),
        },
      })
      return
    case 'receipt':
      await receiveReport(db, {
        ...target,
        input: { receivedOn: value('receivedOn'), note: value('note') },
      })
      return
    case 'acknowledge':
      await acknowledgeCostRule(db, target)
      return
    default:
      throw new AppError('invalid_input', 'Unknown form', {
        issues: [{ path: ['intent'], message: 'is not a form of this page' }],
      })
  }
}

/** Where a form's input issues are shown: under the item's key, or the form's name. */
export function issuePrefix(form: FormData): string {
  const intent = String(form.get('intent') ?? '')
  if (intent === 'item') return String(form.get('itemKey') ?? '')
  return intent === 'details' || intent === 'permit' || intent === 'receipt' ? intent : ''
}
