import { defaultLocale } from '~/i18n'
import { getI18n } from '~/utils/i18n.server'

/**
 * The refusals of the pages after the decision, as locale keys for the field
 * kit (app/components/forms.tsx) to word beside their field: a form's own
 * message (its schema's, `auth:validation.*`) stands; an operation's key of
 * `after:*` without its namespace (cases, agreements) gets it; an operation's
 * issue in English (experiments, disclosure, implementation: words for the
 * log) becomes the message of its field, by the field's name.
 */

/** Which message (after:errors.*) an operation's refusal of a field gets. */
const fieldMessages: Record<string, string> = {
  dueOn: 'date',
  doneOn: 'date',
  issuedOn: 'date',
  validUntil: 'date',
  periodFrom: 'date',
  attendedOn: 'date',
  receivedOn: 'date',
  opinionDueOn: 'date',
  periodUntil: 'periodUntil',
  kind: 'required',
  issuedBy: 'required',
  reference: 'required',
  requesterDescription: 'required',
  question: 'required',
  ownerName: 'tooLong',
  attendedBy: 'tooLong',
  internalNote: 'tooLong',
  note: 'note',
  documents: 'documents',
  opinion: 'opinion',
  reason: 'reason',
  offers: 'offers',
  departmentKey: 'department',
}

/** `refusal`'s `wordIssue` for the pages after the decision (the key is the input's name, `a.b` for a nested one). */
export async function afterDecisionIssues(): Promise<(message: string, key: string) => string> {
  const i18n = await getI18n(defaultLocale)
  return (message, key) => {
    if (message.includes(':') && i18n.exists(message)) return message
    if (i18n.exists(message, { ns: 'after' })) return `after:${message}`
    const field = key.split('.').find((part) => part in fieldMessages) ?? ''
    return `after:errors.${fieldMessages[field] ?? 'invalid'}`
  }
}
