import { z } from 'zod'

/**
 * The declarative shape of a city's workflows, as written in its tenant file.
 * This module owns the schema of `tracks` and `roleMatrix`; the tenant-config
 * package composes it into the whole tenant-file schema. Everything here is
 * data: the engine in this package interprets it, and no code names a city.
 */

const identifier = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'a lower-case identifier such as "desk_review" (a-z, 0-9, _)')

/** Text in every locale the city declares; the tenant-config package checks completeness. */
export const localizedTextSchema = z.record(
  z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a locale code such as "ja" or "en"'),
  z.string().min(1, 'a non-empty text'),
)
export type LocalizedText = z.infer<typeof localizedTextSchema>

/** The three lanes of every flow chart: who carries out a step. */
export const laneSchema = z.enum(['proposer', 'desk', 'department'])
export type Lane = z.infer<typeof laneSchema>

/** ◎ lead · ○ actively involved · △ as needed · — not involved. */
export const involvementSchema = z.enum(['lead', 'active', 'as_needed', 'none'])
export type Involvement = z.infer<typeof involvementSchema>

/** What a transition asks of the actor before it can be taken. */
export const requirementSchema = z.enum([
  'reason', // a written reason (rejections, "cannot go ahead", withdrawals)
  'decision', // a feasibility decision with its grounds
  'collaboration_method', // the method chosen for the proposal (drives the role matrix)
  'departments', // at least one responsible department assigned
  'agreement', // agreement details: kind, parties, date, term
  'permit_record', // a use-permit or similar record
  'report_file', // the proposer's report, as a file
  'receipt', // the desk's acknowledgement of a received report
  'note', // a free note
])
export type Requirement = z.infer<typeof requirementSchema>

/** What a step produces, shown to the people working on it. */
export const productSchema = z.enum([
  'answer_with_reason',
  'agreement',
  'permit_record',
  'report',
  'report_receipt',
  'coordination_record',
  'area_notice',
  'procurement_record',
])

export const outcomeSchema = z.enum([
  'accepted',
  'completed',
  'declined',
  'not_accepted',
  'withdrawn',
  'handed_over',
])
export type Outcome = z.infer<typeof outcomeSchema>

export const stepSchema = z
  .object({
    id: identifier,
    label: localizedTextSchema,
    description: localizedTextSchema.optional(),
    /** Whose lane the step sits in on the flow chart. */
    lane: laneSchema,
    /** The role-matrix phase this step belongs to, where the city has a matrix. */
    phase: identifier.optional(),
    /** Optional steps may be skipped (e.g. pre-consultation: 必須ではありません). */
    optional: z.boolean().default(false),
    /** Terminal steps end the proposal's life with an outcome. */
    terminal: z.boolean().default(false),
    outcome: outcomeSchema.optional(),
    produces: z.array(productSchema).default([]),
  })
  .strict()
export type Step = z.infer<typeof stepSchema>

export const transitionSchema = z
  .object({
    id: identifier,
    label: localizedTextSchema,
    from: z.union([identifier, z.array(identifier).min(1)]),
    to: identifier,
    /**
     * Who may take it: lane names, or `matrix`, which allows the parties whose
     * involvement in the target step's phase, for the proposal's collaboration
     * method, is at least `minimumInvolvement`.
     */
    by: z.array(z.union([laneSchema, z.literal('matrix')])).min(1),
    minimumInvolvement: involvementSchema.default('active'),
    /** Only for proposals with one of these collaboration methods. */
    methods: z.array(identifier).optional(),
    requires: z.array(requirementSchema).default([]),
    /** The proposer is told, with the reason where one is required. */
    notifiesProposer: z.boolean().default(false),
    /** Counts as the early answer the city aims to give within its target days. */
    isEarlyAnswer: z.boolean().default(false),
  })
  .strict()
export type Transition = z.infer<typeof transitionSchema>

export const trackSchema = z
  .object({
    id: identifier,
    label: localizedTextSchema,
    description: localizedTextSchema.optional(),
    /** Proposal types (ids from the tenant file) that enter this track. */
    proposalTypes: z.array(identifier).min(1),
    lanes: z.array(laneSchema).min(1),
    /** The state a new draft starts in. */
    initial: identifier,
    steps: z.array(stepSchema).min(2),
    transitions: z.array(transitionSchema).min(1),
  })
  .strict()
export type Track = z.infer<typeof trackSchema>

export const roleMatrixSchema = z
  .object({
    parties: z.array(z.enum(['desk', 'department'])).min(1),
    phases: z.array(z.object({ id: identifier, label: localizedTextSchema }).strict()).min(1),
    /** One row per (method, phase) the city's table lists. */
    cells: z
      .array(
        z
          .object({
            method: identifier,
            phase: identifier,
            desk: involvementSchema,
            department: involvementSchema,
          })
          .strict(),
      )
      .min(1),
  })
  .strict()
export type RoleMatrix = z.infer<typeof roleMatrixSchema>
