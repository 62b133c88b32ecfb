import type { TFunction } from 'i18next'
import type { AgreementSummaryView, MilestoneView, NoteView } from '~/components/after-decision/parts'
import type { AgreementRecord } from '~/operations/agreements/agreements.server'
import { arrangementFor } from '~/operations/agreements/arrangement'
import type { ImplementationView } from '~/operations/implementation/implementation.server'
import type { ProposalTenant } from '~/operations/proposals/context.server'
import { tenantText } from '~/utils/tenant-text'

/** The records after the decision in the reader's language, with the tenant file's labels. Same for both sides. */
export function afterDecisionNaming(tenant: ProposalTenant, locale: string, t: TFunction) {
  const { config } = tenant
  const text = (value: Parameters<typeof tenantText>[0]) => tenantText(value, locale, config.defaultLocale)
  const methodLabel = (methodId: string | null) =>
    text(config.collaborationMethods.find((method) => method.id === methodId)?.label) || (methodId ?? '')
  const kindLabel = (kindId: string | null) =>
    kindId ? text(config.agreementKinds.find((kind) => kind.id === kindId)?.label) || kindId : null

  function agreementView(
    methodId: string | null,
    agreement: AgreementRecord,
    documentHref: (attachmentId: string) => string,
  ): AgreementSummaryView {
    return {
      arrangementLabel: t(`after:arrangement.${agreement.arrangement}`),
      methodLabel: methodLabel(methodId),
      kindLabel: kindLabel(agreement.agreementKind),
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

  return {
    text,
    methodLabel,
    kindLabel,
    arrangement: (methodId: string | null) => arrangementFor(config, methodId),
    agreementView,
    implementationViews,
  }
}
