import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import { seedExperimentsAndDisclosure } from './demo-experiments'
import { demoAnswers, type SeedTenant } from './tenants'

/**
 * Half a year of decided proposals for the demo, so the desk dashboard has
 * something to show: proposals submitted month by month that went ahead (to
 * completion or part of the way), were refused (one late), or still wait
 * (one past the early-answer target), routed across the departments, with
 * their events at known days. Agreed proposals have their agreement and
 * accompanied implementation; the first is published as a case, the second
 * is a case still in draft. One of the city's internal notes is marked as
 * good practice (know-how). Paths are found in the city's own tracks, so no
 * city is named here.
 */

type Track = SeedTenant['tracks'][number]
type Transition = Track['transitions'][number]

const REFUSALS = ['declined', 'not_accepted']
const sources = (transition: Transition) =>
  Array.isArray(transition.from) ? transition.from : [transition.from]

/**
 * The shortest path from `start` to a step that satisfies `goal`, never
 * through an optional step or a withdrawal; undefined when there is none.
 */
function shortestPath(
  track: Track,
  start: string,
  goal: (state: string) => boolean,
): Transition[] | undefined {
  const step = (id: string) => track.steps.find((candidate) => candidate.id === id)
  const previous = new Map<string, Transition>()
  const queue = [start]
  const seen = new Set(queue)
  while (queue.length > 0) {
    const state = queue.shift()!
    if (goal(state)) {
      const path: Transition[] = []
      for (let at = state; at !== start; at = path[0]!.from as string) path.unshift(previous.get(at)!)
      return path
    }
    for (const transition of track.transitions) {
      const target = step(transition.to)
      if (!sources(transition).includes(state) || seen.has(transition.to) || !target) continue
      if (target.optional || target.outcome === 'withdrawn') continue
      seen.add(transition.to)
      previous.set(transition.to, { ...transition, from: state })
      queue.push(transition.to)
    }
  }
  return undefined
}

/** From the track's first step to an ending with one of `outcomes`, through an agreement if asked. */
function pathTo(track: Track, outcomes: readonly string[], viaAgreement = false): Transition[] | undefined {
  const ends = (state: string) => outcomes.includes(track.steps.find((s) => s.id === state)?.outcome ?? '')
  if (!viaAgreement) return shortestPath(track, track.initial, ends)
  const agreement = track.transitions.find((transition) => transition.requires.includes('agreement'))
  if (!agreement) return undefined
  const before = shortestPath(track, track.initial, (state) => sources(agreement).includes(state))
  const after = shortestPath(track, agreement.to, ends)
  if (!before || !after) return undefined
  const from = before.length > 0 ? before[before.length - 1]!.to : track.initial
  return [...before, { ...agreement, from }, ...after]
}

type Spec = {
  daysAgo: number
  ending: 'completed' | 'declined' | 'refused' | 'open'
  /** Through the track's agreement (a transition that requires one). */
  agreement?: boolean
  /** How many transitions of the path to take (all when omitted). */
  steps?: number
  /** Days between two events. */
  gap: number
  department?: number
  title: string
}

const specs: Spec[] = [
  {
    daysAgo: 170,
    ending: 'completed',
    agreement: true,
    gap: 6,
    department: 0,
    title: '公園の遊具点検アプリの導入',
  },
  { daysAgo: 160, ending: 'refused', gap: 9, department: 1, title: '商店街の空き区画を使った移動販売' },
  {
    daysAgo: 140,
    ending: 'completed',
    steps: 6,
    gap: 8,
    department: 2,
    title: '小学校での出前プログラミング授業',
  },
  { daysAgo: 120, ending: 'declined', gap: 35, department: 0, title: '庁舎屋上への広告看板の設置' },
  {
    daysAgo: 105,
    ending: 'completed',
    agreement: true,
    gap: 5,
    department: 1,
    title: '高齢者見守りセンサーの共同実証',
  },
  // Agreed and under way (on a city's second track, e.g. a demonstration experiment between its notice and its report).
  {
    daysAgo: 90,
    ending: 'completed',
    agreement: true,
    steps: 9,
    gap: 4,
    department: 2,
    title: '観光案内の多言語チャットボット',
  },
  {
    daysAgo: 75,
    ending: 'completed',
    agreement: true,
    steps: 7,
    gap: 7,
    department: 3,
    title: '防災備蓄品の共同調達',
  },
  { daysAgo: 60, ending: 'refused', gap: 4, department: 2, title: '市有地での大型イベント開催' },
  {
    daysAgo: 35,
    ending: 'completed',
    steps: 3,
    gap: 3,
    department: 0,
    title: '図書館の電子書籍サービス拡充',
  },
  { daysAgo: 10, ending: 'open', steps: 1, gap: 1, title: '地元食材を使った給食メニュー開発' },
]

export async function seedDecisionHistory(
  sql: postgres.TransactionSql,
  options: {
    tenant: SeedTenant
    tenantId: string
    desk: string
    submitters: { organisationId: string; userId: string }[]
    now: Date
    nextReference: () => string
  },
): Promise<void> {
  const { tenant, tenantId, desk, now } = options
  const day = 86_400_000
  let agreements = 0
  const departments = await sql<{ id: string }[]>`
    SELECT id FROM departments WHERE tenant_id = ${tenantId}
     ORDER BY array_position(${sql.array(tenant.departments.map((d) => d.id))}::text[], key)`
  for (const [index, spec] of specs.entries()) {
    // Free proposals (no theme needed), alternating between the tracks that take them.
    const free = (id: string) => tenant.proposalTypes.some((p) => p.id === id && !p.answersPublishedTheme)
    const tracks = tenant.tracks.filter((candidate) => candidate.proposalTypes.some(free))
    const track = tracks[index % tracks.length]
    const typeId = track?.proposalTypes.find(free)
    const endings = {
      completed: ['completed'],
      declined: ['declined'],
      refused: REFUSALS,
      open: ['completed'],
    }
    const full = track && pathTo(track, endings[spec.ending], spec.agreement)
    if (!track || !typeId || !full) continue
    // The submission, then the city's steps; an open proposal stops right after submission.
    const path = full.slice(0, spec.steps ?? full.length)
    const submitter = options.submitters[index % options.submitters.length]!
    const submittedAt = new Date(now.getTime() - spec.daysAgo * day)
    const at = (event: number) =>
      new Date(Math.min(submittedAt.getTime() + event * spec.gap * day, now.getTime() - day / 2))
    const step = (id: string) => track.steps.find((candidate) => candidate.id === id)
    // As the workflow records it: the first refusal, decision or ending stops the early-answer clock.
    const decision = path.findIndex(
      (transition, event) =>
        event > 0 &&
        (transition.isEarlyAnswer ||
          transition.requires.includes('decision') ||
          !!step(transition.to)?.outcome),
    )
    const id = randomUUID()
    await sql`
      INSERT INTO proposals (tenant_id, id, organisation_id, submitter_user_id, proposal_type, track, state, version,
                             reference_code, title, answers, acknowledgements, idempotency_key, submitted_at,
                             early_answer_due_at, decided_at, created_at, updated_at)
      VALUES (${tenantId}, ${id}, ${submitter.organisationId}, ${submitter.userId}, ${typeId}, ${track.id},
              ${path[path.length - 1]!.to}, ${path.length + 1}, ${options.nextReference()}, ${spec.title},
              ${sql.json(demoAnswers(tenant, typeId, spec.title))},
              ${sql.json({ notes: tenant.noteIds, configVersion: tenant.configVersion, at: submittedAt.toISOString() })},
              ${randomUUID()}, ${submittedAt}, ${new Date(submittedAt.getTime() + tenant.earlyAnswerTargetDays * day)},
              ${decision >= 0 ? at(decision) : null}, ${submittedAt}, ${at(path.length - 1)})`
    for (const [event, transition] of path.entries()) {
      const byProposer = event === 0
      await sql`
        INSERT INTO proposal_events (tenant_id, proposal_id, actor_user_id, actor_side, from_state, to_state, transition, reason, at)
        VALUES (${tenantId}, ${id}, ${byProposer ? submitter.userId : desk}, ${byProposer ? 'proposer' : 'desk'},
                ${transition.from as string}, ${transition.to}, ${transition.id},
                ${transition.requires.includes('reason') ? '現時点では実施が難しいため(デモ)。 / Not feasible at present (demo).' : null},
                ${at(event)})`
    }
    const department =
      spec.department === undefined ? undefined : departments[spec.department % departments.length]
    if (department && path.length > 1) {
      await sql`
        INSERT INTO proposal_departments (tenant_id, proposal_id, department_id, assigned_by, assigned_at)
        VALUES (${tenantId}, ${id}, ${department.id}, ${desk}, ${at(1)})`
    }
    const agreedAt = path.findIndex((transition) => transition.requires.includes('agreement'))
    // From the last method listed: files list the broad (comprehensive) agreement first, a single project's last.
    const methods = tenant.agreementMethods
    const method = methods[methods.length - 1 - (agreements % Math.max(1, methods.length))]
    if (agreedAt > 0 && method) {
      await seedAgreementAndImplementation(sql, {
        tenantId,
        proposalId: id,
        organisationId: submitter.organisationId,
        departmentId: department?.id ?? null,
        cityName: tenant.nameJa,
        desk,
        proposer: submitter.userId,
        method,
        concludedAt: at(agreedAt),
        fieldId: tenant.fieldIds[agreements % Math.max(1, tenant.fieldIds.length)],
        platformFieldOf: tenant.platformFieldOf,
        // The city's first agreement is written up as a published case; the second as a draft the desk is still writing.
        publishCase: agreements === 0 ? 'published' : agreements === 1 ? 'draft' : null,
        title: spec.title,
        now,
      })
      agreements++
    }
  }

  await seedExperimentsAndDisclosure(sql, { tenant, tenantId, desk, now })

  // The city's first internal note, marked as good practice.
  const [note] = await sql<{ id: string; proposal_id: string }[]>`
    SELECT id, proposal_id FROM internal_notes WHERE tenant_id = ${tenantId} ORDER BY created_at LIMIT 1`
  if (note) {
    await sql`
      INSERT INTO know_how_entries (tenant_id, internal_note_id, proposal_id, title, fields, marked_by, marked_at)
      VALUES (${tenantId}, ${note.id}, ${note.proposal_id}, '財産活用の担当課と初期段階で情報共有する',
              ${sql.json(tenant.fieldIds.slice(0, 1))}, ${desk}, ${new Date(now.getTime() - 2 * day)})`
  }
}

/**
 * After the decision of one agreed proposal: its agreement under one of the
 * city's collaboration methods, three milestones of the accompanied
 * implementation (one done, one under way, one planned) with a note from each
 * side, and optionally the case the desk writes about it.
 */
async function seedAgreementAndImplementation(
  sql: postgres.TransactionSql,
  options: {
    tenantId: string
    proposalId: string
    organisationId: string
    departmentId: string | null
    cityName: string
    desk: string
    proposer: string
    method: { id: string; agreementKind: string }
    concludedAt: Date
    fieldId: string | undefined
    platformFieldOf: Record<string, string>
    publishCase: 'published' | 'draft' | null
    title: string
    now: Date
  },
): Promise<void> {
  const { tenantId, proposalId, desk, concludedAt } = options
  const day = 86_400_000
  const dateOf = (at: Date) => at.toISOString().slice(0, 10)
  const later = (days: number) => new Date(concludedAt.getTime() + days * day)
  // What has happened is never dated after now; due dates may be.
  const happened = (days: number) => new Date(Math.min(later(days).getTime(), options.now.getTime()))
  const [organisation] = await sql<
    { name: string }[]
  >`SELECT name FROM organisations WHERE id = ${options.organisationId}`
  await sql`UPDATE proposals SET collaboration_method = ${options.method.id} WHERE tenant_id = ${tenantId} AND id = ${proposalId}`
  await sql`
    INSERT INTO agreements (tenant_id, proposal_id, arrangement, agreement_kind, parties, concluded_on, valid_from, valid_until,
                            note, recorded_by, created_at)
    VALUES (${tenantId}, ${proposalId}, 'agreement', ${options.method.agreementKind},
            ${sql.array([options.cityName, organisation?.name ?? ''])}, ${dateOf(concludedAt)}, ${dateOf(concludedAt)},
            ${dateOf(later(365))}, '協定書は原本を担当課で保管(デモ)。 / The signed original is kept by the department (demo).',
            ${desk}, ${concludedAt})`
  const milestones = [
    { title: '実施計画の確定 / Implementation plan agreed', owner: 'desk', due: 14, status: 'done' },
    {
      title: '現地での実施 / Work on site',
      owner: options.departmentId ? 'department' : 'desk',
      due: 60,
      status: 'in_progress',
    },
    { title: '結果の報告 / Report of the results', owner: 'proposer', due: 120, status: 'planned' },
  ] as const
  for (const milestone of milestones) {
    await sql`
      INSERT INTO implementation_milestones (tenant_id, proposal_id, title, due_on, owner, department_id, status, created_by, created_at)
      VALUES (${tenantId}, ${proposalId}, ${milestone.title}, ${dateOf(later(milestone.due))}, ${milestone.owner},
              ${milestone.owner === 'department' ? options.departmentId : null}, ${milestone.status}, ${desk}, ${happened(1)})`
  }
  await sql`
    INSERT INTO implementation_notes (tenant_id, proposal_id, author_user_id, author_side, body, created_at) VALUES
      (${tenantId}, ${proposalId}, ${desk}, 'city', '実施計画を双方で確認しました。 / Both sides confirmed the plan.', ${happened(14)}),
      (${tenantId}, ${proposalId}, ${options.proposer}, 'proposer', '現地作業を開始しました。 / Work on site has started.', ${happened(30)})`
  if (!options.publishCase) return
  const published = options.publishCase === 'published'
  await sql`
    INSERT INTO published_cases (tenant_id, proposal_id, status, title_ja, title_en, summary_ja, summary_en, results_ja, results_en,
                                 partner_name, collaboration_method, agreement_kind, fields, platform_fields, started_on, published_at, created_by, created_at)
    VALUES (${tenantId}, ${proposalId}, ${options.publishCase}, ${options.title}, ${`(Demo case) ${options.title}`},
            '民間事業者の技術を活かし、市の課題の解決に取り組みました(デモ)。',
            'A business applied its technology to an issue of the city (demo).',
            '試行の結果を踏まえ、対象を広げて継続します(デモ)。', 'After the trial the work continues on a wider scale (demo).',
            ${organisation?.name ?? ''}, ${options.method.id}, ${options.method.agreementKind},
            ${sql.array(options.fieldId ? [options.fieldId] : [])},
            ${sql.array(options.fieldId && options.platformFieldOf[options.fieldId] ? [options.platformFieldOf[options.fieldId]!] : [])},
            ${dateOf(concludedAt)},
            ${published ? happened(90) : null}, ${desk}, ${happened(80)})`
}
