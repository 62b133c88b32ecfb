import { dateFormat, type TenantConfig } from '@desk/tenant-config'
import {
  involvementSymbol,
  matrixMethods,
  type Involvement,
  type Lane,
  type LocalizedText,
  type RoleMatrix,
} from '@desk/workflow'

/**
 * Pure builders of what portal pages show, in the visitor's language: loaders
 * call them, so components receive plain strings and never a whole tenant file.
 */

export type Localize = (text: LocalizedText | undefined) => string

export type LaneView = { id: Lane; label: string }

export type InvolvementView = { level: Involvement; symbol: string; label: string }

export type RoleMatrixView = {
  parties: { id: 'desk' | 'department'; label: string }[]
  methods: {
    id: string
    label: string
    phases: { id: string; label: string; involvement: Partial<Record<'desk' | 'department', InvolvementView>> }[]
  }[]
  legend: InvolvementView[]
}

const involvementLevels: Involvement[] = ['lead', 'active', 'as_needed', 'none']

/**
 * The role matrix as the guideline's table: one group of rows per method, the
 * phases it lists in the matrix's phase order, a column per party.
 */
export function roleMatrixView(
  roleMatrix: RoleMatrix,
  options: {
    methodLabel: (methodId: string) => string
    partyLabel: (party: 'desk' | 'department') => string
    legendLabel: (level: Involvement) => string
    text: Localize
  },
): RoleMatrixView {
  const involvement = (level: Involvement): InvolvementView => ({
    level,
    symbol: involvementSymbol[level],
    label: options.legendLabel(level),
  })
  return {
    parties: roleMatrix.parties.map((party) => ({ id: party, label: options.partyLabel(party) })),
    methods: matrixMethods(roleMatrix).map((methodId) => ({
      id: methodId,
      label: options.methodLabel(methodId),
      phases: roleMatrix.phases.flatMap((phase) => {
        const cell = roleMatrix.cells.find((candidate) => candidate.method === methodId && candidate.phase === phase.id)
        if (!cell) return []
        return [
          {
            id: phase.id,
            label: options.text(phase.label),
            involvement: Object.fromEntries(roleMatrix.parties.map((party) => [party, involvement(cell[party])])),
          },
        ]
      }),
    })),
    legend: involvementLevels.map(involvement),
  }
}

export type ContactView = {
  deskName: string
  parentDepartment: string
  postalCode: string
  address: string
  phone: string
  email: string
  url: string
  webFormNote: string
}

export function contactView(contact: TenantConfig['contact'], text: Localize): ContactView {
  return {
    deskName: text(contact.deskName),
    parentDepartment: text(contact.parentDepartment),
    postalCode: contact.postalCode ?? '',
    address: text(contact.address),
    phone: contact.phone ?? '',
    email: contact.email ?? '',
    url: contact.url ?? '',
    webFormNote: text(contact.webFormNote),
  }
}

/**
 * A date of the city's guideline, as precise as the file gives it (YYYY-MM
 * is a month: 2022年5月, May 2022) and, in Japanese, in the guideline's
 * calendar (japanese_era: 令和4年5月).
 */
export function formatGuidelineDate(value: string, locale: string, calendar: 'gregorian' | 'japanese_era'): string {
  const monthOnly = value.length === 7
  const date = new Date(`${monthOnly ? `${value}-01` : value}T00:00:00Z`)
  const japanese = locale === 'ja'
  const language = japanese ? (calendar === 'japanese_era' ? 'ja-JP-u-ca-japanese' : 'ja-JP') : 'en-GB'
  return dateFormat(language, {
    ...(japanese && calendar === 'japanese_era' ? { era: 'long' } : {}),
    year: 'numeric',
    month: 'long',
    ...(monthOnly ? {} : { day: 'numeric' }),
    timeZone: 'UTC',
  }).format(date)
}

/** A date (YYYY-MM-DD or an ISO timestamp) the way the visitor's language writes it (the shared value display). */
export { formatDate } from '@desk/tenant-config'

export type LabelledItemView = { id: string; label: string }
export type TitledTextView = { id: string; title: string; text: string }

export function labelledItems(items: { id: string; label: LocalizedText }[], text: Localize): LabelledItemView[] {
  return items.map((item) => ({ id: item.id, label: text(item.label) }))
}

export function titledTexts(items: { id: string; title: LocalizedText; text?: LocalizedText }[], text: Localize): TitledTextView[] {
  return items.map((item) => ({ id: item.id, title: text(item.title), text: text(item.text) }))
}

export type ProposalTypeView = {
  id: string
  label: string
  description: string
  answersPublishedTheme: boolean
  intakeChannels: TenantConfig['proposalTypes'][number]['intakeChannels']
}

export function proposalTypeViews(config: TenantConfig, text: Localize): ProposalTypeView[] {
  return config.proposalTypes.map((type) => ({
    id: type.id,
    label: text(type.label),
    description: text(type.description),
    answersPublishedTheme: type.answersPublishedTheme,
    intakeChannels: type.intakeChannels,
  }))
}

/** Well-known document types by their everyday names; anything else is shown as its MIME type. */
const documentTypeNames: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/msword': 'Word',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.ms-excel': 'Excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.ms-powerpoint': 'PowerPoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'text/plain': 'Text',
  'text/csv': 'CSV',
}

export function documentTypeList(mimeTypes: string[]): string[] {
  return [...new Set(mimeTypes.map((mime) => documentTypeNames[mime] ?? mime))]
}

/** Bytes as whole megabytes, rounded down but never below 1 for display. */
export function megabytes(bytes: number): number {
  return Math.max(1, Math.floor(bytes / (1024 * 1024)))
}

/** `PREFIX-YYYY-0001`: what a proposal's reference code looks like. */
export function referenceCodeExample(prefix: string, year: number): string {
  return `${prefix}-${year}-0001`
}

export type FormFieldView = {
  id: string
  label: string
  help: string
  required: boolean
  type: TenantConfig['forms'][number]['fields'][number]['type']
  /** Limits and choices, already worded by the caller's translator. */
  constraints: string[]
}
