import { and, eq, sql } from 'drizzle-orm'
import { localize, type TenantConfig } from '@desk/tenant-config'
import type { RuntimeDb } from '../../../db/runtime'
import type { TenantTx } from '../../../db/tenant-context'
import { eligibilityScreenings } from '../../../db/schema'
import {
  findProposal,
  inProposalTransaction,
  recordAudit,
  staffMembership,
  type ProposalTenant,
  type RequestActor,
} from '../proposals/context.server'

import { SCREENING_NOTE_MAX_LENGTH, type Judgement } from './judgements'
import { AppError } from '../app-error'

export type CriterionJudgement = { criterionId: string; judgement: Judgement; note: string }

/**
 * The desk's screening: one record per eligibility criterion of the city's
 * tenant file, with the judgement and a note. Saving again updates the
 * records; every save is audited.
 */
export async function recordScreening(
  db: RuntimeDb,
  options: {
    tenant: ProposalTenant
    actor: RequestActor
    proposalId: string
    judgements: CriterionJudgement[]
    now?: Date
  },
): Promise<void> {
  const { tenant, actor } = options
  const known = new Set(tenant.config.eligibility.criteria.map((criterion) => criterion.id))
  const issues = options.judgements.flatMap((entry) =>
    !known.has(entry.criterionId)
      ? [{ path: ['criteria', entry.criterionId], message: 'is not a criterion of this city' }]
      : entry.note.length > SCREENING_NOTE_MAX_LENGTH
        ? [
            {
              path: ['criteria', entry.criterionId, 'note'],
              message: `is longer than ${SCREENING_NOTE_MAX_LENGTH} characters`,
            },
          ]
        : [],
  )
  if (issues.length > 0) throw new AppError('invalid_input', 'The screening needs attention', { issues })
  const now = options.now ?? new Date()
  await inProposalTransaction(db, tenant, actor, async (tx) => {
    const proposal = await findProposal(tx, tenant, options.proposalId)
    const { role } = await staffMembership(tx, tenant, actor)
    if (role === 'department_staff') throw new AppError('forbidden', 'Screening is the desk’s')
    for (const entry of options.judgements) {
      await tx
        .insert(eligibilityScreenings)
        .values({
          tenantId: tenant.id,
          proposalId: proposal.id,
          criterionId: entry.criterionId,
          judgement: entry.judgement,
          note: entry.note.trim(),
          staffUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoUpdate({
          target: [
            eligibilityScreenings.tenantId,
            eligibilityScreenings.proposalId,
            eligibilityScreenings.criterionId,
          ],
          set: {
            judgement: sql`excluded.judgement`,
            note: sql`excluded.note`,
            staffUserId: actor.userId,
            updatedAt: now,
          },
        })
    }
    await recordAudit(tx, tenant, actor, {
      action: 'proposal.screening',
      targetType: 'proposal',
      targetId: proposal.id,
      payload: {
        judgements: options.judgements.map(({ criterionId, judgement }) => ({ criterionId, judgement })),
      },
    })
  })
}

/** The screening of a proposal already found in this transaction, by criterion. */
export async function screeningOf(
  tx: TenantTx,
  tenant: ProposalTenant,
  proposalId: string,
): Promise<Record<string, { judgement: Judgement; note: string }>> {
  const rows = await tx
    .select({
      criterionId: eligibilityScreenings.criterionId,
      judgement: eligibilityScreenings.judgement,
      note: eligibilityScreenings.note,
    })
    .from(eligibilityScreenings)
    .where(
      and(eq(eligibilityScreenings.tenantId, tenant.id), eq(eligibilityScreenings.proposalId, proposalId)),
    )
  return Object.fromEntries(
    rows.map((row) => [row.criterionId, { judgement: row.judgement, note: row.note }]),
  )
}

/**
 * The reason given to the proposer when a proposal is not accepted: the
 * failing criteria in the city's own words, with the desk's notes.
 */
export function notAcceptedReason(
  config: TenantConfig,
  screening: Record<string, { judgement: Judgement; note: string }>,
  locale: string,
): string {
  return config.eligibility.criteria
    .filter((criterion) => screening[criterion.id]?.judgement === 'fail')
    .map((criterion) => {
      const note = screening[criterion.id]!.note
      const text = localize(criterion.text, locale, config.defaultLocale)
      return note ? `${text}\n${note}` : text
    })
    .join('\n\n')
}
