import { randomUUID } from 'node:crypto'
import type { TenantConfig } from '@desk/tenant-config'
import { cityFormView, type FieldView } from '../../app/http/city-form'

/**
 * A complete, valid proposal submission for one city, built from its tenant
 * file the way the form renders it (app/components/proposal/city-form.ts): the
 * first type that does not answer a theme, every required field answered,
 * every criterion confirmed and every note acknowledged. Used by the
 * benchmark and the resilience suite to submit like a browser does.
 */
export type ProposalSubmission = {
  path: string
  /** Builds one request's multipart body; each call has a fresh idempotency key unless one is given. */
  body: (options?: { idempotencyKey?: string; title?: string }) => {
    body: Uint8Array<ArrayBuffer>
    contentType: string
    idempotencyKey: string
  }
  /** The answers a body carries (for checking what was stored). */
  typeId: string
}

function answerFor(field: FieldView, config: TenantConfig, title: string): string[] {
  const source = config.forms.flatMap((form) => form.fields).find((candidate) => candidate.id === field.id)
  switch (field.type) {
    case 'text':
    case 'long_text':
      return [title.slice(0, field.maxLength ?? title.length)]
    case 'number': {
      const min = source && 'min' in source && typeof source.min === 'number' ? source.min : 1
      return [String(Math.max(min, 1))]
    }
    case 'date': {
      const min = source && 'min' in source && source.min ? String(source.min) : '2027-04-01'
      return [min]
    }
    case 'select':
    case 'multi_select':
      return field.options.length > 0 ? [field.options[0]!.value] : []
    case 'file':
      return []
  }
}

export function proposalSubmission(config: TenantConfig, organisationId: string): ProposalSubmission {
  const view = cityFormView(config, config.defaultLocale, undefined, [])
  const type = view.types.find((candidate) => !candidate.answersTheme)
  if (!type) throw new Error(`${config.slug}: no proposal type without a theme to submit`)
  const fields = view.forms[view.formOfType[type.id] ?? ''] ?? []
  if (fields.some((field) => field.type === 'file' && field.required))
    throw new Error(`${config.slug}: the form of ${type.id} requires a file; pick a city whose form does not`)
  const slug = config.slug
  const boundary = '----deskbench' + randomUUID().replaceAll('-', '')
  return {
    path: `/proposals/new?city=${encodeURIComponent(slug)}`,
    typeId: type.id,
    body: (options = {}) => {
      const idempotencyKey = options.idempotencyKey ?? randomUUID()
      const title = options.title ?? `負荷試験の提案 ${idempotencyKey.slice(0, 8)}`
      const parts: [string, string][] = [
        ['intent', 'submit'],
        ['organisationId', organisationId],
        ['idempotencyKey', idempotencyKey],
        [`${slug}.proposalType`, type.id],
        ...(type.tracks[0] ? ([[`${slug}.trackId`, type.tracks[0].id]] as [string, string][]) : []),
        ...fields
          .filter((field) => field.required || field.type === 'text')
          .flatMap((field) =>
            answerFor(field, config, title).map((value) => [field.name, value] as [string, string]),
          ),
        ...view.toConfirm.map((criterion) => [`${slug}.criteria`, criterion.id] as [string, string]),
        ...view.notes.map((note) => [`${slug}.notes`, note.id] as [string, string]),
      ]
      const text =
        parts
          .map(
            ([name, value]) =>
              `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
          )
          .join('') + `--${boundary}--\r\n`
      return {
        body: new Uint8Array(Buffer.from(text, 'utf8')),
        contentType: `multipart/form-data; boundary=${boundary}`,
        idempotencyKey,
      }
    },
  }
}
