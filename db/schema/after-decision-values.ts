/**
 * The closed lists of the tables after the decision, in a module without
 * drizzle so the browser bundle can use them for form choices.
 */
export const agreementArrangements = ['agreement', 'no_agreement', 'public_call'] as const
export type AgreementArrangement = (typeof agreementArrangements)[number]

export const milestoneOwners = ['proposer', 'desk', 'department'] as const
export type MilestoneOwner = (typeof milestoneOwners)[number]
export const milestoneStatuses = ['planned', 'in_progress', 'done', 'postponed'] as const
export type MilestoneStatus = (typeof milestoneStatuses)[number]

export const caseStatuses = ['draft', 'published', 'withdrawn'] as const
export type CaseStatus = (typeof caseStatuses)[number]

/** Who keeps a checklist item of an experiment: the lane of its step, or the proposer for a duty. */
export const checklistLanes = ['proposer', 'desk', 'department'] as const
export type ChecklistLane = (typeof checklistLanes)[number]

/** 情報公開: a request is waiting for the proposer's opinion, has it, or has been decided. */
export const disclosureStatuses = ['awaiting_opinion', 'opinion_received', 'decided'] as const
export type DisclosureStatus = (typeof disclosureStatuses)[number]
/** The decision on one document: disclosed, partly disclosed, or withheld. */
export const disclosureDecisions = ['disclose', 'partial', 'withhold'] as const
export type DisclosureDecision = (typeof disclosureDecisions)[number]
