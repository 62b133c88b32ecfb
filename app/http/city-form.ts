import {
  formatDate,
  formatFileSize,
  formatList,
  formatNumber,
  formatQuantity,
  localize,
  localizeWithLanguage,
  readFormIssue,
  type FormField,
  type FormIssue,
  type ProposalFormRules,
  type TenantConfig,
} from '@desk/tenant-config'
import type { TFunction } from 'i18next'
import type { UploadRefusal } from '~/operations/attachments/receive-uploads.server'

/**
 * One city's part of the proposal form, from its tenant file, in the reader's
 * language: the types (and the tracks each enters), the form fields, the
 * eligibility criteria and the notes. Shared by the loader (what to render)
 * and the action (how to read the answers back). Field names are prefixed
 * with the city's slug so several cities fit in one form.
 */

export type FieldView = {
  id: string
  name: string
  type: FormField['type']
  label: string
  help: string
  required: boolean
  maxLength?: number
  options: { value: string; label: string }[]
  accept?: string[]
  maxFiles?: number
  maxBytes?: number
}

export type CityFormView = {
  slug: string
  cityName: string
  types: { id: string; label: string; answersTheme: boolean; tracks: { id: string; label: string }[] }[]
  themes: { id: string; title: string }[]
  /** Per form id, its fields. */
  forms: Record<string, FieldView[]>
  formOfType: Record<string, string>
  /** Platform-decided criteria that exclude the organisation: submission is blocked with this reason. */
  blocking: { id: string; text: string }[]
  /** Statements the proposer confirms, worded by the tenant file (「…に該当しません」, or a requirement itself). */
  toConfirm: { id: string; text: string }[]
  notes: { id: string; text: string }[]
  /** The texts above shown in another language than the reader's (the city left the translation out). */
  textLanguages: Record<string, string>
  /** What the form's schema is built from, in the browser as on the server (app/http/proposal-submission.ts). */
  rules: CityFormRules
}

/** A city's form rules and the language its tenant file falls back to (for wording a refusal). */
export type CityFormRules = ProposalFormRules & Pick<TenantConfig, 'defaultLocale'>

export const fieldName = (slug: string, id: string) => `${slug}.${id}`

export function cityFormView(
  config: TenantConfig,
  locale: string,
  organisationKind: string | undefined,
  themes: { id: string; titleJa: string; titleEn: string }[],
): CityFormView {
  const textLanguages: Record<string, string> = {}
  const text = (value: Parameters<typeof localizeWithLanguage>[0] | undefined) => {
    if (!value) return ''
    const shown = localizeWithLanguage(value, locale, config.defaultLocale)
    if (shown.lang !== locale && shown.text) textLanguages[shown.text] = shown.lang
    return shown.text
  }
  const { eligibility } = config
  const excludedKind =
    organisationKind !== undefined &&
    !eligibility.eligibleOrganisationKinds.includes(organisationKind as never)
  return {
    slug: config.slug,
    cityName: text(config.identity.name),
    types: config.proposalTypes.map((type) => ({
      id: type.id,
      label: text(type.label),
      answersTheme: type.answersPublishedTheme,
      tracks: config.tracks
        .filter((track) => track.proposalTypes.includes(type.id))
        .map((track) => ({ id: track.id, label: text(track.label) })),
    })),
    themes: themes.map((theme) => ({
      id: theme.id,
      title: (locale === 'en' && theme.titleEn) || theme.titleJa,
    })),
    forms: Object.fromEntries(
      config.forms.map((form) => [
        form.id,
        form.fields.map((field) => ({
          id: field.id,
          name: fieldName(config.slug, field.id),
          type: field.type,
          label: text(field.label),
          help: text(field.help),
          required: field.required ?? false,
          maxLength: 'maxLength' in field ? field.maxLength : undefined,
          options:
            'options' in field
              ? // A form posts strings: a numeric option (SDG goal 13) is posted as "13" and stored as 13 again by the form's schema.
                field.options.map((option) => ({ value: String(option.value), label: text(option.label) }))
              : [],
          ...(field.type === 'file'
            ? { accept: field.accept, maxFiles: field.maxFiles, maxBytes: field.maxBytes }
            : {}),
        })),
      ]),
    ),
    formOfType: Object.fromEntries(config.proposalTypes.map((type) => [type.id, type.form])),
    blocking: eligibility.criteria
      .filter(
        (criterion) =>
          criterion.decidedBy === 'platform' &&
          organisationKind !== undefined &&
          (criterion.excludesOrganisationKinds ?? []).includes(organisationKind as never),
      )
      .map((criterion) => ({ id: criterion.id, text: text(criterion.text) }))
      .concat(excludedKind ? [{ id: 'organisation_kind', text: '' }] : []),
    toConfirm: eligibility.criteria
      .filter(
        (criterion) =>
          criterion.decidedBy !== 'platform' && (criterion.confirmation || criterion.kind === 'requirement'),
      )
      .map((criterion) => ({ id: criterion.id, text: text(criterion.confirmation ?? criterion.text) })),
    notes: (config.notes?.items ?? []).map((note) => ({ id: note.id, text: text(note.text) })),
    textLanguages,
    rules: {
      defaultLocale: config.defaultLocale,
      proposalTypes: config.proposalTypes.map(({ id, form }) => ({ id, form })),
      forms: config.forms,
    },
  }
}

/** A city's file inputs, across its forms (each named `<city slug>.<field id>`). */
export function fileFieldsOf(view: Pick<CityFormView, 'forms'>): FieldView[] {
  const fields = Object.values(view.forms)
    .flat()
    .filter((field) => field.type === 'file')
  return [...new Map(fields.map((field) => [field.name, field])).values()]
}

/**
 * The inputs of the cities' parts that are shown again after a refusal or a
 * preview (the kit's echo, `echoedValues`, scoped to them): what the proposer
 * entered, not the hidden draft fields (the page sets them from the draft).
 */
export function cityPartInputs(views: Pick<CityFormView, 'slug'>[]) {
  return (name: string): boolean => {
    const [slug, id] = name.split('.')
    return views.some((view) => view.slug === slug) && id !== 'draftId' && id !== 'draftVersion'
  }
}

/** The answers of one city's form as the schema built from its tenant file expects them. */
export function answersFromForm(
  fields: FieldView[],
  formData: FormData,
  files: (name: string) => { originalName: string; mime: string; size: number }[],
): Record<string, unknown> {
  const answers: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.type === 'multi_select') {
      const values = formData.getAll(field.name).filter((value): value is string => typeof value === 'string')
      if (values.length > 0) answers[field.id] = values
    } else if (field.type === 'file') {
      const received = files(field.name)
      if (received.length > 0)
        answers[field.id] = received.map((file) => ({
          name: file.originalName,
          mimeType: file.mime,
          bytes: file.size,
        }))
    } else {
      const value = formData.get(field.name)
      if (typeof value !== 'string' || value.trim() === '') continue
      answers[field.id] = field.type === 'number' ? Number(value) : value
    }
  }
  return answers
}

/** An upload refused while streaming, worded like the form's own file messages (proposals:formErrors.*). */
export function uploadRefusalMessage(
  field: Pick<FieldView, 'label' | 'accept' | 'maxBytes' | 'maxFiles'>,
  refusal: Pick<UploadRefusal, 'reason' | 'originalName' | 'expectedExtension'>,
  locale: string,
  t: TFunction,
): string {
  const label = field.label
  switch (refusal.reason) {
    case 'wrong_extension':
      return t('proposals:formErrors.fileNameNotType', {
        label,
        detail: refusal.originalName,
        limit: refusal.expectedExtension ?? '',
      })
    case 'too_large':
      return t('proposals:formErrors.fileTooLarge', {
        label,
        limit: formatFileSize(field.maxBytes ?? 0, locale),
      })
    case 'too_many':
      return t('proposals:formErrors.tooManyFiles', {
        label,
        limit: formatNumber(field.maxFiles ?? 0, locale),
      })
    default:
      return t('proposals:formErrors.fileTypeNotAccepted', {
        label,
        limit: acceptedTypes(field.accept ?? [], locale),
      })
  }
}

function acceptedTypes(mimeTypes: readonly string[], locale: string): string {
  return formatList(mimeTypes.map(shortType), locale)
}

/**
 * A refusal of a city's proposal form in the reader's language: an issue of
 * the form's schema (a key and values, `FormIssue`) is worded from
 * `proposals:formErrors.*`, naming the field by its label and the limit as
 * the reader reads values (3,000,000円, 2026年12月6日, 10 MB); any other
 * message is returned as it is.
 */
export function wordFormIssue(
  message: string,
  options: { config: CityFormRules; proposalTypeId: string; locale: string; t: TFunction },
): string {
  const issue = readFormIssue(message)
  if (!issue) return message
  const { config, locale, t } = options
  const formId = config.proposalTypes.find((type) => type.id === options.proposalTypeId)?.form
  const field = config.forms
    .find((form) => form.id === formId)
    ?.fields.find((candidate) => candidate.id === issue.field)
  const text = (value: Parameters<typeof localize>[0]) => localize(value, locale, config.defaultLocale)
  const unit = field && 'unit' in field && field.unit ? text(field.unit) : undefined
  const key = issue.key === 'notAnOption' && issue.detail !== undefined ? 'notAnOptionValue' : issue.key
  return t(`proposals:formErrors.${key}`, {
    label: field ? text(field.label) : issue.field,
    detail: issue.detail,
    limit: limitText(issue.limit, unit, locale),
  })
}

function limitText(limit: FormIssue['limit'], unit: string | undefined, locale: string): string {
  if (!limit) return ''
  switch (limit.kind) {
    case 'count':
      return String(limit.value)
    case 'quantity':
      return formatQuantity(limit.value, unit, locale)
    case 'date':
      return formatDate(limit.value, locale)
    case 'bytes':
      return formatFileSize(limit.value, locale)
    case 'types':
      return acceptedTypes(limit.value, locale)
  }
}

function shortType(mime: string): string {
  return (
    { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG' }[mime] ??
    mime
      .split('.')
      .pop()
      ?.replace('document', 'DOCX')
      .replace('sheet', 'XLSX')
      .replace('presentation', 'PPTX') ??
    mime
  )
}

/** What the summary calls the form's own choices (the answer fields' messages already name their field). */
export type ChoiceWords = { type: string; track: string; theme: string; criteria: string; notes: string }

/**
 * The proposal form's errors for the error summary, in the order of the form
 * (city by city: type, track, theme, answers, criteria, notes), each linked to
 * the id of its control; with several cities, each names its city.
 */
export function errorSummaryOf(
  cities: CityFormView[],
  errors: Record<string, string>,
  words: ChoiceWords,
): { fieldId: string; message: string }[] {
  const listed = new Set<string>()
  const summary: { fieldId: string; message: string }[] = []
  const add = (key: string, fieldId: string, label: string | undefined, city: CityFormView) => {
    const error = errors[key]
    if (error === undefined || listed.has(key)) return
    listed.add(key)
    const message = label ? `${label}: ${error}` : error
    summary.push({ fieldId, message: cities.length > 1 ? `${city.cityName} — ${message}` : message })
  }
  for (const city of cities) {
    const name = (id: string) => fieldName(city.slug, id)
    add(name('proposalType'), name('proposalType'), words.type, city)
    add(name('trackId'), name('trackId'), words.track, city)
    add(name('themeId'), name('themeId'), words.theme, city)
    const fields = [
      ...new Map(
        Object.values(city.forms)
          .flat()
          .map((field) => [field.name, field]),
      ).values(),
    ]
    for (const field of fields) {
      const keys = Object.keys(errors).filter((key) => key === field.name || key.startsWith(`${field.name}.`))
      for (const key of keys) add(key, field.name, undefined, city)
    }
    // A list of statements to tick is one entry (the first unticked one linked), not one per long statement.
    for (const [group, items, label] of [
      ['criteria', city.toConfirm, words.criteria],
      ['notes', city.notes, words.notes],
    ] as const) {
      const missing = items
        .map((item) => name(`${group}.${item.id}`))
        .filter((key) => errors[key] !== undefined)
      if (missing.length === 0) continue
      add(missing[0]!, missing[0]!, label, city)
      for (const key of missing) listed.add(key)
    }
  }
  for (const [key, error] of Object.entries(errors))
    if (!listed.has(key)) summary.push({ fieldId: key, message: error })
  return summary
}
