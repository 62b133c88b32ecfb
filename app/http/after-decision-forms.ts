import { z } from 'zod'
import { MAX_TEXT_LENGTH } from '@desk/workflow'
import { disclosureDecisions } from '../../db/schema/after-decision-values'
import { fields, hidden, intents } from './form-schemas'

/**
 * The schemas of the forms of the pages after the decision that both sides
 * share (experiment, disclosure): the action reads its post with them
 * (`parseSubmission`) and the page checks the same form in the browser
 * (`useValidatedForm`), so this module is not `.server`. A schema that
 * depends on the city takes the city's choices as lists of ids, which the
 * action takes from the tenant file and the page from its loader's view.
 */

/**
 * The forms of an experiment page, for either side, by their `intent`: a
 * checklist item (by its key in the city's checklist), a permit, the city's
 * offers, period and attendance, the report's receipt, the cost rule's
 * acknowledgement.
 */
export function experimentFormSchema(offered: { itemKeys: readonly string[]; offerIds: readonly string[] }) {
  const shortText = fields.optionalText(200)
  const longText = fields.optionalText(MAX_TEXT_LENGTH)
  return intents([
    z.object({
      intent: z.literal('item'),
      itemKey: hidden.key(offered.itemKeys),
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
      offers: fields.someOf(offered.offerIds),
      periodFrom: fields.date,
      periodUntil: fields.date,
      attendedOn: fields.date,
      attendedBy: fields.optionalText(500),
    }),
    z.object({ intent: z.literal('receipt'), receivedOn: fields.requiredDate, note: longText }),
    z.object({ intent: z.literal('acknowledge'), acknowledged: z.literal('on') }),
  ])
}

/** The proposer's report, a multipart post read by the upload receiver (which checks the file's content). */
export const ReportFormSchema = z.object({ intent: z.literal('report'), report: fields.file })

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
