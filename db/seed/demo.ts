import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import { hashPassword } from '../password'
import { seedDecisionHistory } from './demo-history'
import { demoAnswers, syncTenant, type SeedTenant } from './tenants'

/**
 * The demo data of a first start: every city from the tenant files, its desk
 * admin, desk staff and department staff, two businesses and a university
 * (organisations + users), an operator, and proposals in several states with
 * their history, dialogue, internal notes, routing and screening.
 *
 * Runs on the owner connection (`createOwnerSql`), in one transaction, and
 * records itself in `seed_runs`: a second run seeds nothing.
 */
export const DEMO_PASSWORD = 'demo-pass-2026'
export const DEMO_SEED_NAME = 'demo'

export type DemoAccount = { email: string; role: string; city?: string; organisation?: string }
export type DemoSeedResult = { seeded: boolean; accounts: DemoAccount[] }

type Track = SeedTenant['tracks'][number]

/** A path through a track from its initial step: the states and the transitions between them. */
function walk(track: Track): { states: string[]; transitions: string[] } {
  const states = [track.initial]
  const transitions: string[] = []
  const terminal = new Set(track.steps.filter((s) => s.terminal).map((s) => s.id))
  for (;;) {
    const current = states[states.length - 1]!
    const next = track.transitions.find((t) => {
      const from = Array.isArray(t.from) ? t.from : [t.from]
      return from.includes(current) && !states.includes(t.to)
    })
    if (!next) break
    states.push(next.to)
    transitions.push(next.id)
    if (terminal.has(next.to)) break
  }
  return { states, transitions }
}

/** A transition into a negative terminal step ("cannot go ahead", "not accepted"), if the track has one. */
function negativeEnding(track: Track): { from: string; to: string; transition: string } | undefined {
  const negative = new Set(
    track.steps
      .filter((s) => s.terminal && (s.outcome === 'declined' || s.outcome === 'not_accepted'))
      .map((s) => s.id),
  )
  for (const t of track.transitions) {
    if (!negative.has(t.to)) continue
    const from = Array.isArray(t.from) ? t.from : [t.from]
    return { from: from[0]!, to: t.to, transition: t.id }
  }
  return undefined
}

export async function seedDemo(
  ownerSql: postgres.Sql,
  options: { tenants: SeedTenant[]; now?: Date },
): Promise<DemoSeedResult> {
  const now = options.now ?? new Date()
  const accounts: DemoAccount[] = []
  const passwordHash = await hashPassword(DEMO_PASSWORD)
  const day = 86_400_000
  const ago = (days: number) => new Date(now.getTime() - days * day)

  const seeded = await ownerSql.begin(async (sql) => {
    const [claimed] = await sql`
      INSERT INTO seed_runs (name, details) VALUES (${DEMO_SEED_NAME}, ${sql.json({ cities: options.tenants.map((t) => t.slug) })})
      ON CONFLICT (name) DO NOTHING RETURNING name`
    if (!claimed) return false

    const user = async (
      email: string,
      displayName: string,
      role: string,
      extra: Partial<DemoAccount> = {},
      platformRole: string | null = null,
    ) => {
      const id = randomUUID()
      await sql`
        INSERT INTO users (id, email, display_name, locale, password_hash, platform_role)
        VALUES (${id}, ${email}, ${displayName}, 'ja', ${passwordHash}, ${platformRole})`
      accounts.push({ email, role, ...extra })
      return id
    }
    const organisation = async (
      name: string,
      kind: string,
      corporateNumber: string | null,
      address: string,
      contact: string,
      members: string[],
    ) => {
      const id = randomUUID()
      await sql`
        INSERT INTO organisations (id, name, kind, corporate_number, address, contact_person, contact_email)
        VALUES (${id}, ${name}, ${kind}, ${corporateNumber}, ${address}, ${contact}, ${null})`
      for (const [index, member] of members.entries()) {
        await sql`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES (${id}, ${member}, ${index === 0 ? 'owner' : 'member'})`
      }
      return id
    }

    await user('operator@example.com', 'Platform Operator', 'operator', {}, 'operator')
    const biz1User = await user('biz1@example.com', '山田 太郎', 'proposer', {
      organisation: '株式会社サンプル商事',
    })
    const biz2User = await user('biz2@example.com', '佐藤 花子', 'proposer', { organisation: 'デモ合同会社' })
    const univUser = await user('univ@example.com', '鈴木 一郎', 'proposer', { organisation: 'サンプル大学' })
    const biz1 = await organisation(
      '株式会社サンプル商事',
      'corporation',
      '1234567890123',
      '東京都千代田区1-1',
      '山田 太郎',
      [biz1User],
    )
    const biz2 = await organisation(
      'デモ合同会社',
      'corporation',
      '9876543210987',
      '大阪府大阪市北区2-2',
      '佐藤 花子',
      [biz2User],
    )
    const univ = await organisation(
      'サンプル大学',
      'university',
      null,
      '宮城県仙台市青葉区3-3',
      '鈴木 一郎',
      [univUser],
    )

    for (const [cityIndex, tenant] of options.tenants.entries()) {
      const tenantId = await syncTenant(sql, tenant)
      const [firstDepartment] = await sql<{ id: string }[]>`
        SELECT id FROM departments WHERE tenant_id = ${tenantId} ORDER BY key = ${tenant.departments[0]?.id ?? ''} DESC, key LIMIT 1`
      const departmentId = firstDepartment!.id
      const domain = `${tenant.slug}.example.jp`
      const admin = await user(`desk-admin@${domain}`, `${tenant.nameJa} デスク管理者`, 'desk_admin', {
        city: tenant.slug,
      })
      const desk = await user(`desk-staff@${domain}`, `${tenant.nameJa} デスク担当`, 'desk_staff', {
        city: tenant.slug,
      })
      const dept = await user(`dept-staff@${domain}`, `${tenant.nameJa} 事業担当課`, 'department_staff', {
        city: tenant.slug,
      })
      await sql`
        INSERT INTO city_memberships (tenant_id, user_id, role, department_id) VALUES
          (${tenantId}, ${admin}, 'desk_admin', NULL),
          (${tenantId}, ${desk}, 'desk_staff', NULL),
          (${tenantId}, ${dept}, 'department_staff', ${departmentId})`

      const openTheme = randomUUID()
      // The demo theme is about public facilities: the city's field for them, where it has one.
      const themeField = tenant.fieldIds.find((id) =>
        ['public_assets', 'urban_development'].includes(tenant.platformFieldOf[id] ?? ''),
      )
      const themeFields = themeField ? [themeField] : []
      const themePlatformFields = themeField ? [tenant.platformFieldOf[themeField]!] : []
      await sql`
        INSERT INTO themes (tenant_id, id, title_ja, title_en, background_ja, background_en, expected_outcome_ja, expected_outcome_en,
                            fields, platform_fields, department_id, deadline, status, published_at, created_by)
        VALUES
          (${tenantId}, ${openTheme}, '公共施設の利活用アイデア', 'Ideas for using public facilities',
           '利用率の低い公共施設の新しい使い方を探しています。', 'We are looking for new uses of under-used public facilities.',
           '民間の知見を活かした実証と、その結果の公表。', 'A trial that draws on private know-how, with its results published.',
           ${sql.array(themeFields)}, ${sql.array(themePlatformFields)}, ${departmentId}, ${new Date(now.getTime() + 60 * day)}, 'open', ${ago(10)}, ${desk}),
          (${tenantId}, ${randomUUID()}, '地域交通の課題', 'Local transport issues', '', '', '', '',
           '{}', '{}', ${departmentId}, ${ago(5)}, 'closed', ${ago(90)}, ${desk})`

      const freeType = tenant.proposalTypes.find((p) => !p.answersPublishedTheme) ?? tenant.proposalTypes[0]!
      const themeType = tenant.proposalTypes.find((p) => p.answersPublishedTheme) ?? freeType
      const trackFor = (typeId: string) =>
        tenant.tracks.find((t) => t.proposalTypes.includes(typeId)) ?? tenant.tracks[0]!
      const year = now.getUTCFullYear()
      let sequence = 0
      const acknowledgements = {
        notes: tenant.noteIds,
        configVersion: tenant.configVersion,
        at: ago(20).toISOString(),
      }

      const proposal = async (spec: {
        organisationId: string
        submitter: string
        typeId: string
        themeId?: string
        title: string
        depth: number | 'declined'
        routed?: boolean
      }) => {
        const track = trackFor(spec.typeId)
        const path = walk(track)
        const ending = spec.depth === 'declined' ? negativeEnding(track) : undefined
        let states: string[]
        let transitions: string[]
        if (spec.depth === 'declined' && ending) {
          const cut = Math.max(1, path.states.indexOf(ending.from))
          states = [...path.states.slice(0, cut + 1), ending.to]
          transitions = [...path.transitions.slice(0, cut), ending.transition]
        } else {
          const depth = Math.min(typeof spec.depth === 'number' ? spec.depth : 1, path.states.length - 1)
          states = path.states.slice(0, depth + 1)
          transitions = path.transitions.slice(0, depth)
        }
        const submitted = states.length > 1
        const id = randomUUID()
        const submittedAt = submitted ? ago(20 - cityIndex) : null
        const reference = submitted
          ? `${tenant.referencePrefix}-${year}-${String(++sequence).padStart(4, '0')}`
          : null
        await sql`
          INSERT INTO proposals (tenant_id, id, organisation_id, submitter_user_id, proposal_type, theme_id, track, state, version,
                                 reference_code, title, answers, acknowledgements, idempotency_key, submitted_at,
                                 early_answer_due_at, decided_at, state_entered_at, created_at)
          VALUES (${tenantId}, ${id}, ${spec.organisationId}, ${spec.submitter}, ${spec.typeId}, ${spec.themeId ?? null}, ${track.id},
                  ${states[states.length - 1]!}, ${states.length}, ${reference}, ${spec.title},
                  ${sql.json(demoAnswers(tenant, spec.typeId, spec.title))},
                  ${sql.json(submitted ? acknowledgements : {})}, ${randomUUID()}, ${submittedAt},
                  ${submittedAt ? new Date(submittedAt.getTime() + tenant.earlyAnswerTargetDays * day) : null},
                  ${spec.depth === 'declined' ? ago(3) : null},
                  ${states.length > 1 ? ago(20 - (states.length - 1)) : ago(25)}, ${ago(25)})`
        for (let i = 1; i < states.length; i++) {
          const byProposer = i === 1
          await sql`
            INSERT INTO proposal_events (tenant_id, proposal_id, actor_user_id, actor_side, from_state, to_state, transition, reason, at)
            VALUES (${tenantId}, ${id}, ${byProposer ? spec.submitter : desk}, ${byProposer ? 'proposer' : 'desk'}, ${states[i - 1]!},
                    ${states[i]!}, ${transitions[i - 1]!},
                    ${spec.depth === 'declined' && i === states.length - 1 ? '現時点では実施が難しいため(デモ)。 / Not feasible at present (demo).' : null},
                    ${ago(20 - i)})`
        }
        if (submitted) {
          await sql`
            INSERT INTO audit_log (tenant_id, actor_user_id, actor_kind, action, target_type, target_id)
            VALUES (${tenantId}, ${spec.submitter}, 'proposer', 'proposal.submit', 'proposal', ${id})`
          await sql`
            INSERT INTO notification_outbox (tenant_id, recipient_user_id, kind, payload, locale, sent_at)
            VALUES (${tenantId}, ${desk}, 'proposal.submitted', ${sql.json({ proposalId: id })}, 'ja', ${ago(19)})`
        }
        if (spec.routed) {
          await sql`INSERT INTO proposal_departments (tenant_id, proposal_id, department_id, assigned_by) VALUES (${tenantId}, ${id}, ${departmentId}, ${desk})`
        }
        return { id, submitted }
      }

      const first = await proposal({
        organisationId: biz1,
        submitter: biz1User,
        typeId: freeType.id,
        title: '空き店舗を活用した創業支援拠点の提案',
        depth: 1,
        routed: true,
      })
      if (cityIndex === 0) {
        await proposal({
          organisationId: biz1,
          submitter: biz1User,
          typeId: freeType.id,
          title: '(下書き)観光データの共同分析',
          depth: 0,
        })
      }
      await proposal({
        organisationId: biz2,
        submitter: biz2User,
        typeId: freeType.id,
        title: 'AIオンデマンド交通の実証実験',
        depth: 3,
        routed: true,
      })
      await proposal({
        organisationId: univ,
        submitter: univUser,
        typeId: themeType.id,
        themeId: themeType.answersPublishedTheme ? openTheme : undefined,
        title: '公共施設の利用データ分析と改善提案',
        depth: 2,
      })
      await proposal({
        organisationId: univ,
        submitter: univUser,
        typeId: freeType.id,
        title: '学生による地域広報プロジェクト',
        depth: 'declined',
      })

      // The dialogue on the first proposal: the proposer, the desk, the department; and a note the proposer never sees.
      await sql`
        INSERT INTO messages (tenant_id, proposal_id, author_user_id, author_side, body, created_at) VALUES
          (${tenantId}, ${first.id}, ${biz1User}, 'proposer', 'ご検討のほどよろしくお願いいたします。', ${ago(18)}),
          (${tenantId}, ${first.id}, ${desk}, 'city', 'ご提案ありがとうございます。担当課と確認のうえご連絡します。', ${ago(17)}),
          (${tenantId}, ${first.id}, ${dept}, 'city', '対象となる物件の候補について、打合せの日程をご相談させてください。', ${ago(15)})`
      await sql`
        INSERT INTO internal_notes (tenant_id, proposal_id, author_user_id, body, created_at)
        VALUES (${tenantId}, ${first.id}, ${desk}, '庁内調整メモ:財産活用の担当とも共有済み。', ${ago(16)})`
      await sql`
        INSERT INTO message_reads (tenant_id, proposal_id, user_id, last_read_at) VALUES
          (${tenantId}, ${first.id}, ${biz1User}, ${ago(17)}),
          (${tenantId}, ${first.id}, ${desk}, ${ago(15)})`
      for (const criterion of tenant.deskCriteria.slice(0, 3)) {
        await sql`
          INSERT INTO eligibility_screenings (tenant_id, proposal_id, criterion_id, judgement, note, staff_user_id)
          VALUES (${tenantId}, ${first.id}, ${criterion}, 'pass', '', ${desk})`
      }
      await seedDecisionHistory(sql, {
        tenant,
        tenantId,
        desk,
        submitters: [
          { organisationId: biz2, userId: biz2User },
          { organisationId: univ, userId: univUser },
        ],
        now,
        nextReference: () => `${tenant.referencePrefix}-${year}-${String(++sequence).padStart(4, '0')}`,
      })
    }
    return true
  })
  return { seeded, accounts: seeded ? accounts : [] }
}
