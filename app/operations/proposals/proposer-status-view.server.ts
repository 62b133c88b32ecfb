import { availableTransitions, leadOf, outcomeOf, stepOf, type Lane, type Outcome } from '@desk/workflow'
import { eq } from 'drizzle-orm'
import { answerViews, localize, type AnswerView } from '@desk/tenant-config'
import { themes } from '../../../db/schema'
import {
  earlyAnswerStatus,
  engineActorFor,
  laneLabel,
  summarise,
  trackOf,
  type ProposalRow,
  type ProposalSummary,
  type ProposalTenant,
  type RequestActor,
} from './context.server'
import type { TenantTx } from '../../../db/tenant-context'
import { readHistory, type HistoryEntry } from './proposal-history.server'
import { AppError } from '../app-error'

export type ProposerStatusViewOptions = {
  tenant: ProposalTenant
  actor: RequestActor
  proposal: ProposalRow
  locale: string
  now?: Date
}

export type ProposerStatusView = {
  proposal: ProposalSummary
  stepLabel: string
  outcome: Outcome | undefined
  /** Whose turn it is: the lanes that lead the current step, as the city names them. */
  turn: { lane: Lane; label: string }[]
  /** What the proposer may do now (e.g. withdraw, end a pre-consultation). */
  transitions: { id: string; label: string; requires: string[] }[]
  earlyAnswer: ReturnType<typeof earlyAnswerStatus>
  /** Visible events only: no routing, no internal remarks. */
  history: HistoryEntry[]
  /** What the proposer sent, as they read it: type, support track, theme and every answer by its label. */
  submission: { typeLabel: string; trackLabel: string; themeTitle: string | null; answers: AnswerView[] }
}

/**
 * Where the proposer's proposal (already found in this transaction) stands,
 * whose turn it is and what happened so far — without the city's internal
 * parts. The membership check, the history and the theme are sent together.
 */
export async function proposerStatusView(
  tx: TenantTx,
  options: ProposerStatusViewOptions,
): Promise<ProposerStatusView> {
  const { tenant, actor, locale, proposal } = options
  if (actor.kind !== 'proposer') throw new AppError('forbidden', "This view is the proposer's")
  const [party, history, theme] = await Promise.all([
    engineActorFor(tx, tenant, actor, proposal),
    readHistory(tx, tenant, proposal, 'proposer', locale),
    proposal.themeId ? themeTitle(tx, proposal.themeId, locale) : null,
  ])
  const track = trackOf(tenant, proposal.track)
  const { roleMatrix, defaultLocale } = tenant.config
  // Routing is the city's: the proposer's view of the engine knows no departments.
  const state = { state: proposal.state, collaborationMethod: proposal.collaborationMethod }
  const step = stepOf(track, proposal.state)
  const lead = leadOf(track, state, roleMatrix)
  return {
    proposal: summarise(proposal),
    stepLabel: step ? localize(step.label, locale, defaultLocale) : proposal.state,
    outcome: outcomeOf(track, proposal.state),
    turn: (lead?.leads ?? []).map((lane) => ({ lane, label: laneLabel(tenant, lane, locale) })),
    transitions: availableTransitions(track, state, party, roleMatrix).map((transition) => ({
      id: transition.id,
      label: localize(transition.label, locale, defaultLocale),
      requires: transition.requires,
    })),
    earlyAnswer: earlyAnswerStatus(tenant, proposal, options.now ?? new Date()),
    history,
    submission: {
      typeLabel: localize(
        tenant.config.proposalTypes.find((type) => type.id === proposal.proposalType)?.label ?? {},
        locale,
        defaultLocale,
      ),
      trackLabel: localize(track.label, locale, defaultLocale),
      themeTitle: theme,
      answers: answerViews(
        tenant.config,
        proposal.proposalType,
        proposal.answers as Record<string, unknown>,
        locale,
      ),
    },
  }
}

async function themeTitle(tx: TenantTx, themeId: string, locale: string): Promise<string | null> {
  const [theme] = await tx
    .select({ titleJa: themes.titleJa, titleEn: themes.titleEn })
    .from(themes)
    .where(eq(themes.id, themeId))
  if (!theme) return null
  return (locale === 'en' && theme.titleEn) || theme.titleJa
}
