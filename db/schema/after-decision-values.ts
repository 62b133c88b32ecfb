/**
 * The closed lists of the tables after the decision, in a module without
 * drizzle so the browser bundle can use them for form choices.
 */
export const agreementArrangements = ['agreement', 'none', 'public_call'] as const
export type AgreementArrangement = (typeof agreementArrangements)[number]

export const milestoneOwners = ['proposer', 'desk', 'department'] as const
export type MilestoneOwner = (typeof milestoneOwners)[number]
export const milestoneStatuses = ['planned', 'in_progress', 'done', 'postponed'] as const
export type MilestoneStatus = (typeof milestoneStatuses)[number]

export const caseStatuses = ['draft', 'published', 'withdrawn'] as const
export type CaseStatus = (typeof caseStatuses)[number]
