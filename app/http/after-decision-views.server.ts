import type { TFunction } from 'i18next'
import { transitionOf } from '@desk/workflow'
import type { AgreementRecord } from '~/operations/agreements/agreements.server'
import { agreementOutcome, type AgreementOutcomeView } from '~/operations/agreements/agreement-outcome'
import { arrangementFor } from '~/operations/agreements/arrangement'
import type { DisclosureRequestView } from '~/operations/disclosure/disclosure.server'
import type { ExperimentView } from '~/operations/experiments/experiments.server'
import type { ImplementationView } from '~/operations/implementation/implementation.server'
import { laneLabel, trackOf, type ProposalTenant } from '~/operations/proposals/context.server'
import { tenantText } from '~/utils/tenant-text'
import { dateFormat } from '@desk/tenant-config'

export type DisclosureRequestPageView = {
  id: string
  receivedOn: string
  opinionDueOn: string | null
  status: 'awaiting_opinion' | 'opinion_received' | 'decided'
  opinion: string
  opinionAt: string | null
  decidedAt: string | null
  documents: {
    id: string
    title: string
    proposerOpinion: string
    decision: 'disclose' | 'partial' | 'withhold' | null
    decisionReason: string
  }[]
  internal: { requesterDescription: string; internalNote: string } | null
}

export type ChecklistItemView = {
  key: string
  kind: 'step' | 'duty'
  label: string
  description: string | null
  ownerLabel: string
  ownerName: string
  dueOn: string | null
  doneOn: string | null
  note: string
  updatedBy: string | null
  progress: 'done' | 'current' | 'upcoming' | 'open'
  editable: boolean
  /** A step done by a record of its own below (the permits, the report and its receipt), not by a tick. */
  recordedWith: 'permits' | 'report' | null
  /** The workflow transition ticking this item done takes, if any. */
  moves: string | null
}

export type ExperimentPageView = {
  items: ChecklistItemView[]
  permits: {
    id: string
    kind: string
    issuedBy: string
    reference: string
    issuedOn: string
    validUntil: string | null
  }[]
  keepsPermits: boolean
  offers: { id: string; label: string; applies: boolean }[]
  periodFrom: string | null
  periodUntil: string | null
  attendedOn: string | null
  attendedBy: string
  costRule: string
  reportRequirement: string | null
  acknowledgement: { name: string; at: string } | null
  report: { href: string; name: string; submittedAt: string | null } | null
  reportReceivedOn: string | null
  next: string | null
  receiptMoves: string | null
}

export type AgreementSummaryView = {
  arrangementLabel: string
  methodLabel: string
  /** The agreement kind concluded, or the no-agreement outcome (協定なし), by its label. */
  outcome: AgreementOutcomeView | null
  parties: string[]
  concludedOn: string | null
  validFrom: string | null
  validUntil: string | null
  note: string
  document: { href: string; name: string } | null
}

export type MilestoneView = {
  id: string
  title: string
  dueOn: string
  ownerLabel: string
  status: string
}

export type NoteView = {
  id: string
  side: 'proposer' | 'city'
  authorName: string | null
  milestoneTitle: string | null
  body: string
  at: string
}

/** The records after the decision in the reader's language, with the tenant file's labels. Same for both sides. */
export function afterDecisionNaming(tenant: ProposalTenant, locale: string, t: TFunction) {
  const { config } = tenant
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  const methodLabel = (methodId: string | null) =>
    text(config.collaborationMethods.find((method) => method.id === methodId)?.label) || (methodId ?? '')
  const kindLabel = (kindId: string | null) =>
    kindId ? text(config.agreementKinds.find((kind) => kind.id === kindId)?.label) || kindId : null

  const outcome = (methodId: string | null) => agreementOutcome(config, methodId, locale, t)

  function agreementView(
    methodId: string | null,
    agreement: AgreementRecord,
    documentHref: (attachmentId: string) => string,
  ): AgreementSummaryView {
    return {
      arrangementLabel: t(`after:arrangement.${agreement.arrangement}`),
      methodLabel: methodLabel(methodId),
      outcome:
        agreement.arrangement === 'agreement'
          ? { label: kindLabel(agreement.agreementKind) ?? '', platformWording: false }
          : outcome(methodId),
      parties: agreement.parties,
      concludedOn: agreement.concludedOn,
      validFrom: agreement.validFrom,
      validUntil: agreement.validUntil,
      note: agreement.note,
      document: agreement.document
        ? { href: documentHref(agreement.document.id), name: agreement.document.name }
        : null,
    }
  }

  function implementationViews(view: ImplementationView): { milestones: MilestoneView[]; notes: NoteView[] } {
    const milestones = view.milestones.map((milestone) => ({
      id: milestone.id,
      title: milestone.title,
      dueOn: milestone.dueOn,
      ownerLabel:
        milestone.owner === 'department' && milestone.departmentKey
          ? text(config.departments.find((department) => department.id === milestone.departmentKey)?.name) ||
            milestone.departmentKey
          : t(`after:implementation.owners.${milestone.owner}`),
      status: milestone.status,
    }))
    const notes = view.notes.map((note) => ({
      id: note.id,
      side: note.authorSide,
      authorName: note.authorName,
      milestoneTitle: milestones.find((milestone) => milestone.id === note.milestoneId)?.title ?? null,
      body: note.body,
      at: note.at.toISOString(),
    }))
    return { milestones, notes }
  }

  const when = (at: Date) =>
    dateFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Tokyo',
    }).format(at)

  /** An experiment as both sides' pages show it: the file's labels, the lanes as the city names them. */
  function experimentView(
    view: ExperimentView,
    trackId: string,
    attachmentHref: (attachmentId: string) => string,
  ): ExperimentPageView {
    const support = config.experimentSupport!
    const track = trackOf(tenant, trackId)
    const transitionLabel = (id: string | undefined) =>
      id ? text(transitionOf(track, id)?.label) || id : null
    const { record } = view
    return {
      items: view.items.map((item) => ({
        key: item.key,
        kind: item.kind,
        label: text(item.label),
        description: item.description ? text(item.description) : null,
        ownerLabel: laneLabel(tenant, item.lane, locale),
        ownerName: item.ownerName,
        dueOn: item.dueOn,
        doneOn: item.doneOn,
        note: item.note,
        updatedBy: item.updatedBy,
        progress: item.progress ?? (item.doneOn ? 'done' : 'open'),
        editable: item.editable,
        recordedWith: item.recordedWith,
        moves:
          item.progress === 'current' && view.next && !item.recordedWith
            ? transitionLabel(view.next.id)
            : null,
      })),
      permits: view.permits,
      keepsPermits: view.items.some((item) => item.records.includes('permits')),
      offers: support.cityOffers.map((offer) => ({
        id: offer.id,
        label: text(offer.text),
        applies: record.offers.includes(offer.id),
      })),
      periodFrom: record.periodFrom,
      periodUntil: record.periodUntil,
      attendedOn: record.attendedOn,
      attendedBy: record.attendedBy,
      costRule: text(support.costRule),
      reportRequirement: support.reportRequirement ? text(support.reportRequirement) : null,
      acknowledgement: record.costRule
        ? { name: record.costRule.acknowledgedBy ?? '', at: when(record.costRule.acknowledgedAt) }
        : null,
      report: record.report
        ? {
            href: attachmentHref(record.report.id),
            name: record.report.name,
            submittedAt: record.report.submittedAt ? when(record.report.submittedAt) : null,
          }
        : null,
      reportReceivedOn: record.reportReceivedOn,
      next: transitionLabel(view.next?.id),
      receiptMoves: view.next?.requires.includes('receipt') ? transitionLabel(view.next.id) : null,
    }
  }

  /** Disclosure requests with their times in the reader's language. */
  const disclosureViews = (requests: DisclosureRequestView[]): DisclosureRequestPageView[] =>
    requests.map((request) => ({
      ...request,
      opinionAt: request.opinionAt ? when(request.opinionAt) : null,
      decidedAt: request.decidedAt ? when(request.decidedAt) : null,
      documents: request.documents.map(({ decidedAt: _decidedAt, ...document }) => document),
    }))

  const cityName = text(config.identity.name)
  /** A page's heading ("<page>: <proposal>") and its browser title ("<heading> | <city>"), as the desk's other pages. */
  const pageTitles = (titleKey: string, proposalTitle: string) => {
    const heading = `${t(`after:${titleKey}`)}: ${proposalTitle}`
    return { heading, documentTitle: `${heading} | ${cityName}` }
  }

  return {
    text,
    cityName,
    pageTitles,
    when,
    experimentView,
    disclosureViews,
    methodLabel,
    kindLabel,
    outcome,
    arrangement: (methodId: string | null) => arrangementFor(config, methodId),
    agreementView,
    implementationViews,
  }
}
