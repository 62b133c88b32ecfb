import type { TenantConfig } from '@desk/tenant-config'
import {
  flowDiagram,
  involvementSymbol,
  matrixMethods,
  type Involvement,
  type Lane,
  type LocalizedText,
  type RoleMatrix,
  type Track,
} from '@desk/workflow'

/**
 * Pure builders of what portal pages show, in the visitor's language: loaders
 * call them, so components receive plain strings and never a whole tenant file.
 */

export type Localize = (text: LocalizedText | undefined) => string

export type LaneView = { id: Lane; label: string }

export type FlowLinkView = { toId: string; toLabel: string; label: string; back: boolean }

export type FlowStepView = {
  id: string
  label: string
  description: string
  lane: Lane
  laneLabel: string
  optional: boolean
  terminal: boolean
  next: FlowLinkView[]
}

export type FlowView = {
  id: string
  title: string
  description: string
  lanes: LaneView[]
  /** Top to bottom; each row's steps sit in their lanes. */
  rows: FlowStepView[][]
  /** Withdrawal, possible from many steps: summarised once instead of an arrow out of each. */
  withdrawal: { action: string; step: string } | null
  /** The proposal types that follow this flow, when the page says so. */
  appliesTo?: string
}

/**
 * A track's flow chart: rows from `flowDiagram`, labels localised. Withdrawal
 * (a terminal `withdrawn` step reachable from many steps) is one sentence
 * rather than an arrow out of every box.
 */
export function flowView(track: Track, laneLabel: (lane: Lane) => string, text: Localize): FlowView {
  const diagram = flowDiagram(track)
  const nodes = diagram.rows.flatMap((row) => row.steps)
  const labelOf = new Map(nodes.map((node) => [node.id, text(node.label)]))
  const withdrawalIds = new Set(nodes.filter((node) => node.outcome === 'withdrawn').map((node) => node.id))
  const withdrawalEdges = nodes.flatMap((node) => node.edges.filter((edge) => withdrawalIds.has(edge.to)))
  const [withdrawalEdge] = withdrawalEdges
  return {
    id: track.id,
    title: text(track.label),
    description: text(track.description),
    lanes: diagram.lanes.map((lane) => ({ id: lane, label: laneLabel(lane) })),
    rows: diagram.rows
      .map((row) => row.steps.filter((node) => !withdrawalIds.has(node.id)))
      .filter((steps) => steps.length > 0)
      .map((steps) =>
        steps.map((node) => ({
          id: node.id,
          label: text(node.label),
          description: text(node.description),
          lane: node.lane,
          laneLabel: laneLabel(node.lane),
          optional: node.optional,
          terminal: node.terminal,
          next: node.edges
            .filter((edge) => !withdrawalIds.has(edge.to))
            .map((edge) => ({
              toId: edge.to,
              toLabel: labelOf.get(edge.to) ?? edge.to,
              label: text(edge.label),
              back: edge.direction === 'back',
            })),
        })),
      ),
    withdrawal: withdrawalEdge
      ? { action: text(withdrawalEdge.label), step: labelOf.get(withdrawalEdge.to) ?? withdrawalEdge.to }
      : null,
  }
}

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
  process: string[]
}

export function proposalTypeViews(config: TenantConfig, text: Localize): ProposalTypeView[] {
  return config.proposalTypes.map((type) => ({
    id: type.id,
    label: text(type.label),
    description: text(type.description),
    answersPublishedTheme: type.answersPublishedTheme,
    intakeChannels: type.intakeChannels,
    process: type.process.map(text),
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
