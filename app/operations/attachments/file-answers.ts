import { buildProposalFormSchema, type ProposalFormRules, type UploadedFile } from '@desk/tenant-config'

/**
 * A file answer as a proposal keeps it: what the form checks (name, type,
 * size) and, while the proposal is a draft, the attachment that holds the
 * file — so a reopened draft shows it and submitting sends it.
 */
export type FileAnswer = UploadedFile & { attachmentId?: string }

/** The file fields of a proposal type's form (their ids). */
export function fileFieldIds(config: ProposalFormRules, proposalTypeId: string): string[] {
  const formId = config.proposalTypes.find((type) => type.id === proposalTypeId)?.form
  const form = config.forms.find((candidate) => candidate.id === formId)
  return (form?.fields ?? []).filter((field) => field.type === 'file').map((field) => field.id)
}

/**
 * The schema of a proposal type's answers (built from the tenant file) in its
 * two parts: `posted`, the answers a form posts (text, numbers, dates,
 * choices), read once where the form is parsed, in the browser too; and
 * `files`, the file fields, whose answers the draft's saved files complete —
 * checked where the draft is read, in the submission's transaction.
 */
export function proposalAnswerSchemas(config: ProposalFormRules, proposalTypeId: string) {
  const schema = buildProposalFormSchema(config, proposalTypeId)
  const files = Object.fromEntries(fileFieldIds(config, proposalTypeId).map((id) => [id, true as const]))
  return { posted: schema.omit(files), files: schema.pick(files) }
}

/** The draft's own files kept for a field: entries that name an attachment the proposer did not take out. */
export function keptFileAnswers(
  stored: unknown,
  removedAttachmentIds: readonly string[],
): (FileAnswer & { attachmentId: string })[] {
  if (!Array.isArray(stored)) return []
  return stored.filter(
    (entry): entry is FileAnswer & { attachmentId: string } =>
      typeof entry === 'object' &&
      entry !== null &&
      typeof (entry as FileAnswer).attachmentId === 'string' &&
      !removedAttachmentIds.includes((entry as FileAnswer).attachmentId!),
  )
}

/**
 * The answers with each file field made of the draft's kept files followed by
 * the files of this request (`added`, per field id). A field left with no
 * file has no answer.
 */
export function withFileAnswers(
  answers: Record<string, unknown>,
  options: {
    fieldIds: readonly string[]
    /** The answers stored with the draft (none for a new proposal). */
    stored: Record<string, unknown> | undefined
    removedAttachmentIds: readonly string[]
    added: (fieldId: string) => FileAnswer[]
  },
): Record<string, unknown> {
  const merged = { ...answers }
  for (const fieldId of options.fieldIds) {
    const files = [
      ...keptFileAnswers(options.stored?.[fieldId], options.removedAttachmentIds),
      ...options.added(fieldId),
    ]
    if (files.length > 0) merged[fieldId] = files
    else delete merged[fieldId]
  }
  return merged
}
