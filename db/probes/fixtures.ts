import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import type { Catalogue, TableInfo } from './catalogue'

/**
 * Two cities with rows in every table, written as the owner. Known tables get
 * hand-made rows that exercise every policy branch (drafts, routing, internal
 * notes, internal files, closed themes, expired sessions…); any tenant table
 * this file does not know yet (added by a later migration) gets a row per city
 * generated from the catalogue, so it is probed too.
 */
export type World = {
  cities: [string, string]
  /** Staff per city: role, department, disabled. */
  staff: Map<string, { tenantId: string; userId: string; role: string; departmentId: string | null; disabled: boolean }[]>
  users: Record<string, string>
  cityUsers: Record<string, { admin: string; desk: string; dept: string; disabled: string }>
  organisations: { x: string; y: string }
  orgMembers: Map<string, { userId: string; role: string }[]>
  operatorId: string
  disabledUsers: Set<string>
}

type Row = Record<string, unknown>

export async function seedProbeFixtures(sql: postgres.Sql, catalogue: Catalogue): Promise<World> {
  const id = () => randomUUID()
  const insert = async (table: string, rows: Row[]) => {
    for (const row of rows) {
      const value: Row = {}
      for (const [key, v] of Object.entries(row)) {
        value[key] = v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v) ? sql.json(v as postgres.JSONValue) : v
      }
      await sql`INSERT INTO ${sql(table)} ${sql(value)}`
    }
  }
  const now = new Date()
  const later = new Date(now.getTime() + 86_400_000)
  const earlier = new Date(now.getTime() - 86_400_000)

  const cities: [string, string] = [id(), id()]
  await insert('tenants', [
    { id: cities[0], slug: 'probe-city-a', config_version: '1', name_ja: '検査市A', name_en: 'Probe City A' },
    { id: cities[1], slug: 'probe-city-b', config_version: '1', name_ja: '検査市B', name_en: 'Probe City B' },
  ])

  const users: Record<string, string> = {}
  const user = async (key: string, extra: Row = {}) => {
    users[key] = id()
    await insert('users', [
      { id: users[key], email: `${key}@probe.example`, display_name: key, password_hash: 'not-a-hash', ...extra },
    ])
    return users[key]!
  }
  const cityUsers: World['cityUsers'] = {}
  const staff: World['staff'] = new Map()
  const disabledUsers = new Set<string>()
  for (const [index, city] of cities.entries()) {
    const c = index === 0 ? 'a' : 'b'
    cityUsers[city] = {
      admin: await user(`admin-${c}`),
      desk: await user(`desk-${c}`),
      dept: await user(`dept-${c}`),
      disabled: await user(`disabled-${c}`, { disabled_at: earlier }),
    }
    disabledUsers.add(cityUsers[city]!.disabled)
  }
  const px = await user('px')
  const px2 = await user('px2')
  const py = await user('py')
  const operatorId = await user('operator', { platform_role: 'operator' })
  await user('loner')

  const organisations = { x: id(), y: id() }
  await insert('organisations', [
    { id: organisations.x, name: 'X Corporation', kind: 'corporation', corporate_number: '1234567890123' },
    { id: organisations.y, name: 'Y University', kind: 'university' },
  ])
  const orgMembers: World['orgMembers'] = new Map([
    [organisations.x, [{ userId: px, role: 'owner' }, { userId: px2, role: 'member' }]],
    [organisations.y, [{ userId: py, role: 'owner' }]],
  ])
  for (const [organisationId, members] of orgMembers) {
    await insert('organisation_members', members.map((m) => ({ organisation_id: organisationId, user_id: m.userId, role: m.role })))
  }
  // A waiting invitation per organisation: only its owners see or change it.
  await insert('organisation_invitations', [
    { organisation_id: organisations.x, email: 'joiner@probe.example', token_hash: 'probe-org-token-x', expires_at: later, invited_by: px },
    { organisation_id: organisations.y, email: 'joiner@probe.example', token_hash: 'probe-org-token-y', expires_at: later, invited_by: py },
  ])

  for (const [index, city] of cities.entries()) {
    const c = index === 0 ? 'a' : 'b'
    const u = cityUsers[city]!
    const t = (row: Row) => ({ tenant_id: city, ...row })
    const d1 = id()
    const d2 = id()
    await insert('departments', [
      t({ id: d1, key: 'dept_one', name_ja: '一課', name_en: 'Division One' }),
      t({ id: d2, key: 'dept_two', name_ja: '二課', name_en: 'Division Two' }),
      // A key only this city has: the unique-constraint probes need values absent from the other city.
      t({ key: `dept_${c}`, name_ja: `${c}課`, name_en: `Division ${c}` }),
    ])
    const members = [
      { userId: u.admin, role: 'desk_admin', departmentId: null, disabled: false },
      { userId: u.desk, role: 'desk_staff', departmentId: null, disabled: false },
      { userId: u.dept, role: 'department_staff', departmentId: d1, disabled: false },
      { userId: u.disabled, role: 'desk_admin', departmentId: null, disabled: true },
    ]
    staff.set(city, members.map((m) => ({ tenantId: city, ...m })))
    await insert('city_memberships', members.map((m) => t({ user_id: m.userId, role: m.role, department_id: m.departmentId })))
    await insert('invitations', [
      t({ email: 'invitee@probe.example', role: 'department_staff', department_id: d2, token_hash: `probe-token-${c}`, expires_at: later, invited_by: u.admin }),
    ])
    const [open, draft, closed] = [id(), id(), id()]
    await insert('themes', [
      t({ id: open, title_ja: '公開テーマ', status: 'open', department_id: d1, published_at: now }),
      t({ id: draft, title_ja: '下書きテーマ', status: 'draft' }),
      t({ id: closed, title_ja: '締切テーマ', status: 'closed', department_id: d2 }),
    ])
    const [pX1, pX2, pX3, pY1, pY2] = [id(), id(), id(), id(), id()]
    const proposal = (row: Row) =>
      t({ proposal_type: 'free', track: 'partnership', state: 'received', title: '提案', answers: { summary: 'idea' }, ...row })
    await insert('proposals', [
      proposal({ id: pX1, organisation_id: organisations.x, submitter_user_id: px, theme_id: open, proposal_type: 'theme', reference_code: 'PRB-2026-0001', idempotency_key: 'k-1', submitted_at: now }),
      proposal({ id: pX2, organisation_id: organisations.x, submitter_user_id: px2, state: 'draft', idempotency_key: 'k-2' }),
      // A draft shared with the city for a pre-consultation: the desk sees it, department staff do not.
      proposal({ id: pX3, organisation_id: organisations.x, submitter_user_id: px, state: 'pre_consultation', idempotency_key: 'k-3', shared_with_city_at: now }),
      proposal({ id: pY1, organisation_id: organisations.y, submitter_user_id: py, reference_code: 'PRB-2026-0002', idempotency_key: 'k-1', submitted_at: now }),
      proposal({ id: pY2, organisation_id: organisations.y, submitter_user_id: py, theme_id: closed, proposal_type: 'theme', reference_code: `PRB-2026-${c}`, idempotency_key: `k-${c}`, submitted_at: now }),
    ])
    await insert('proposal_departments', [
      t({ proposal_id: pX1, department_id: d1, assigned_by: u.admin }),
      t({ proposal_id: pY1, department_id: d2, assigned_by: u.admin }),
    ])
    await insert('proposal_events', [
      t({ proposal_id: pX1, actor_user_id: px, actor_side: 'proposer', to_state: 'received', transition: 'submit' }),
      t({ proposal_id: pX1, actor_user_id: u.desk, actor_side: 'desk', from_state: 'received', to_state: 'received', transition: 'internal_coordination', visible_to_proposer: false }),
      t({ proposal_id: pY1, actor_user_id: py, actor_side: 'proposer', to_state: 'received', transition: 'submit' }),
    ])
    const [mX1, mX2, mY1] = [id(), id(), id()]
    await insert('messages', [
      t({ id: mX1, proposal_id: pX1, author_user_id: px, author_side: 'proposer', body: 'hello' }),
      t({ id: mX2, proposal_id: pX1, author_user_id: u.desk, author_side: 'city', body: 'welcome' }),
      t({ id: mY1, proposal_id: pY1, author_user_id: u.admin, author_side: 'city', body: 'thanks' }),
    ])
    const [nX1, nY1] = [id(), id()]
    await insert('internal_notes', [
      t({ id: nX1, proposal_id: pX1, author_user_id: u.desk, body: 'internal only' }),
      t({ id: nY1, proposal_id: pY1, author_user_id: u.admin, body: 'internal only' }),
    ])
    await insert('know_how_entries', [
      t({ internal_note_id: nX1, proposal_id: pX1, title: 'good practice', fields: ['f1'], marked_by: u.desk }),
      t({ internal_note_id: nY1, proposal_id: pY1, marked_by: u.admin }),
    ])
    await insert('message_reads', [
      t({ proposal_id: pX1, user_id: px }),
      t({ proposal_id: pX1, user_id: u.admin }),
      t({ proposal_id: pY1, user_id: py }),
    ])
    const file = (row: Row) => t({ stored_name: id(), original_name: 'plan.pdf', mime: 'application/pdf', size: 1234, sha256: 'ab'.repeat(32), ...row })
    await insert('attachments', [
      file({ proposal_id: pX1, uploaded_by: px }),
      file({ proposal_id: pX1, message_id: mX2, uploaded_by: u.desk }),
      file({ proposal_id: pX1, visibility: 'internal', uploaded_by: u.desk }),
      file({ proposal_id: pY1, uploaded_by: py }),
    ])
    // After the decision (issue 9): an agreement with its document, milestones and notes of both sides,
    // and a draft, a published, a scheduled and a withdrawn case, each with an image.
    const agreementFile = id()
    await insert('attachments', [file({ id: agreementFile, proposal_id: pX1, uploaded_by: u.desk })])
    await insert('agreements', [
      t({ proposal_id: pX1, arrangement: 'agreement', agreement_kind: 'business', parties: '{City,X}', concluded_on: now, document_attachment_id: agreementFile, recorded_by: u.desk }),
      t({ proposal_id: pY1, arrangement: 'public_call', note: 'call', recorded_by: u.admin }),
    ])
    const [msX, msY] = [id(), id()]
    await insert('implementation_milestones', [
      t({ id: msX, proposal_id: pX1, title: 'kick-off', due_on: now, owner: 'department', department_id: d1, created_by: u.desk }),
      t({ id: msY, proposal_id: pY1, title: 'report', due_on: later, owner: 'proposer', created_by: u.admin }),
    ])
    await insert('implementation_notes', [
      t({ proposal_id: pX1, milestone_id: msX, author_user_id: px, author_side: 'proposer', body: 'started' }),
      t({ proposal_id: pX1, author_user_id: u.dept, author_side: 'city', body: 'noted' }),
      t({ proposal_id: pY1, milestone_id: msY, author_user_id: py, author_side: 'proposer', body: 'drafting' }),
    ])
    const cases = { draft: id(), published: id(), scheduled: id(), withdrawn: id() }
    await insert('published_cases', [
      t({ id: cases.draft, proposal_id: pX1, title_ja: '下書き事例' }),
      t({ id: cases.published, proposal_id: pY1, status: 'published', title_ja: '公開事例', published_at: earlier }),
      t({ id: cases.scheduled, status: 'published', title_ja: '予約事例', published_at: later }),
      t({ id: cases.withdrawn, status: 'withdrawn', title_ja: '取下げ事例', published_at: earlier, withdrawn_at: now }),
    ])
    await insert(
      'case_images',
      Object.values(cases).map((caseId) =>
        t({ case_id: caseId, stored_name: id(), mime: 'image/png', size: 10, sha256: 'cd'.repeat(32), alt_ja: '写真', uploaded_by: u.desk }),
      ),
    )
    // Demonstration experiments and disclosure requests: both organisations' proposals, items of both lanes,
    // and a request's internal part (who asked) that only the city's staff may read.
    const reportFile = id()
    await insert('attachments', [file({ id: reportFile, proposal_id: pY1, uploaded_by: py })])
    await insert('experiments', [
      t({ proposal_id: pX1, offers: '{field,pr}', period_from: now, cost_rule_acknowledged_by: px, cost_rule_acknowledged_at: now }),
      t({ proposal_id: pY1, report_attachment_id: reportFile, report_submitted_by: py, report_submitted_at: now }),
    ])
    await insert('experiment_checklist', [
      t({ proposal_id: pX1, item_key: 'duty:costs', lane: 'proposer', done_on: now, updated_by: px }),
      t({ proposal_id: pX1, item_key: 'step:stakeholder_coordination', lane: 'desk', due_on: later, updated_by: u.desk }),
      t({ proposal_id: pY1, item_key: 'step:area_notice', lane: 'department', updated_by: u.admin }),
    ])
    await insert('experiment_permits', [
      t({ proposal_id: pX1, kind: 'road use', issued_by: 'police', reference: 'No. 1', issued_on: now, recorded_by: px }),
      t({ proposal_id: pY1, kind: 'park use', issued_by: 'parks', reference: 'No. 2', issued_on: now, recorded_by: u.admin }),
    ])
    const [drX, drY] = [id(), id()]
    await insert('disclosure_requests', [
      t({ id: drX, proposal_id: pX1, received_on: now, created_by: u.desk }),
      t({ id: drY, proposal_id: pY1, received_on: now, status: 'decided', opinion: 'no harm', opinion_by: py, opinion_at: now, created_by: u.admin }),
    ])
    await insert('disclosure_request_internals', [
      t({ id: drX, proposal_id: pX1, requester_description: 'a journalist' }),
      t({ id: drY, proposal_id: pY1, requester_description: 'a resident', internal_note: 'withhold prices' }),
    ])
    await insert('disclosure_documents', [
      t({ request_id: drX, proposal_id: pX1, title: 'proposal' }),
      t({ request_id: drY, proposal_id: pY1, title: 'estimate', decision: 'partial', decision_reason: 'prices', decided_by: u.admin, decided_at: now }),
    ])
    await insert('eligibility_screenings', [
      t({ proposal_id: pX1, criterion_id: 'no_individuals', judgement: 'pass', staff_user_id: u.desk }),
      t({ proposal_id: pY1, criterion_id: 'no_individuals', judgement: 'unclear', staff_user_id: u.admin }),
    ])
    await insert('audit_log', [
      t({ actor_user_id: u.admin, actor_kind: 'staff', action: 'proposal.read', target_type: 'proposal', target_id: pX1 }),
      t({ actor_user_id: px, actor_kind: 'proposer', action: 'proposal.submit', target_type: 'proposal', target_id: pX1 }),
    ])
    await insert('notification_outbox', [
      t({ recipient_user_id: px, kind: 'message.new', payload: { proposalId: pX1 } }),
      t({ recipient_user_id: u.admin, kind: 'proposal.submitted', payload: { proposalId: pY1 }, locale: 'en' }),
    ])
  }
  // The PostgreSQL file store (migration 0030): every file the rows name, as its chunks.
  const named = await sql<{ tenant_id: string; stored_name: string }[]>`
    SELECT tenant_id, stored_name FROM attachments UNION ALL SELECT tenant_id, stored_name FROM case_images`
  await insert(
    'stored_file_chunks',
    named.map((file) => ({ ...file, seq: 0, data: Buffer.from(`the file ${file.stored_name}\n`) })),
  )

  await insert('sessions', [
    { id: `s-${id()}`, user_id: px, expires_at: later, idle_expires_at: later, absolute_expires_at: later },
    { id: `s-${id()}`, user_id: py, expires_at: later, idle_expires_at: later, absolute_expires_at: later },
    { id: `s-${id()}`, user_id: py, expires_at: earlier, idle_expires_at: earlier, absolute_expires_at: later },
    { id: `s-${id()}`, user_id: cityUsers[cities[0]]!.admin, expires_at: later, idle_expires_at: later, absolute_expires_at: later },
  ])
  await insert('password_reset_tokens', [
    { token_hash: `h-${id()}`, user_id: px, expires_at: later },
    { token_hash: `h-${id()}`, user_id: py, expires_at: later },
  ])
  await insert('throttle_counters', [
    { key: 'sign-in:px@probe.example|192.0.2.1', hits: 3, window_ends_at: later },
    { key: 'sign-in-address:192.0.2.1', hits: 1, window_ends_at: later },
  ])
  await insert('mail_outbox', [
    { to_address: 'px@probe.example', subject: 'reset', text_body: 'link', kind: 'password_reset' },
    { to_address: 'invitee@probe.example', subject: 'invite', text_body: 'link', kind: 'invitation' },
  ])
  await insert('platform_audit_log', [
    { actor_user_id: operatorId, actor_kind: 'operator', action: 'tenant.onboard', subject_tenant_id: cities[0] },
    { actor_user_id: null, actor_kind: 'system', action: 'sessions.sweep' },
  ])
  await insert('seed_runs', [{ name: `probe-${id()}` }])
  // Alerts: a saved search of each member of X (each their own) and of Y's owner, each with a match.
  const savedSearches = { px: id(), px2: id(), py: id() }
  await insert('saved_searches', [
    { id: savedSearches.px, organisation_id: organisations.x, user_id: px, kind: 'themes', query: 'field=disaster_prevention', frequency: 'immediate' },
    { id: savedSearches.px2, organisation_id: organisations.x, user_id: px2, kind: 'cases', query: '', frequency: 'daily' },
    { id: savedSearches.py, organisation_id: organisations.y, user_id: py, kind: 'themes', query: 'field=childcare', frequency: 'daily' },
  ])
  await insert(
    'saved_search_matches',
    Object.values(savedSearches).map((savedSearchId) => ({ saved_search_id: savedSearchId, item_kind: 'theme', item_id: id() })),
  )

  await fillUnknownTables(sql, catalogue, cities)

  return {
    cities,
    staff,
    users,
    cityUsers,
    organisations,
    orgMembers,
    operatorId,
    disabledUsers,
  }
}

/** A value of a column's type for a generated row. */
function sampleValue(type: string): unknown {
  if (type === 'uuid') return randomUUID()
  if (type.startsWith('timestamp') || type === 'date') return new Date()
  if (type === 'boolean') return false
  if (type === 'jsonb' || type === 'json') return {}
  if (/int|numeric|double|real/.test(type)) return 1
  if (type.endsWith('[]')) return []
  return `probe-${randomUUID().slice(0, 8)}`
}

/**
 * For every table with no rows for a city (a table this file does not know),
 * insert one generated from the catalogue: NOT NULL columns without defaults
 * get a value of their type, foreign keys point at a row of the same city.
 */
async function fillUnknownTables(sql: postgres.Sql, catalogue: Catalogue, cities: string[]): Promise<void> {
  let pending = [...catalogue.tables.values()].filter((t) => t.isTenantTable)
  for (let round = 0; round < 10 && pending.length > 0; round++) {
    const next: TableInfo[] = []
    for (const table of pending) {
      let complete = true
      for (const city of cities) {
        const [{ count }] = (await sql`SELECT count(*)::int AS count FROM ${sql(table.name)} WHERE tenant_id = ${city}`) as unknown as [{ count: number }]
        if (count > 0) continue
        const row = await generateRow(sql, catalogue, table, city)
        if (!row) {
          complete = false
          continue
        }
        await sql`INSERT INTO ${sql(table.name)} ${sql(row as Record<string, postgres.ParameterOrJSON<never>>)}`
      }
      if (!complete) next.push(table)
    }
    if (next.length === pending.length) break
    pending = next
  }
  if (pending.length > 0) {
    throw new Error(
      `probe fixtures: cannot generate rows for ${pending.map((t) => t.name).join(', ')}; add them to db/probes/fixtures.ts`,
    )
  }
}

async function generateRow(sql: postgres.Sql, catalogue: Catalogue, table: TableInfo, city: string): Promise<Row | null> {
  const row: Row = { tenant_id: city }
  for (const fk of table.foreignKeys) {
    if (fk.refTable === 'tenants') continue
    const target = catalogue.tables.get(fk.refTable)!
    const nullable = fk.columns.every((c) => c === 'tenant_id' || !table.columns.find((x) => x.name === c)!.notNull)
    if (nullable) continue
    const where = target.isTenantTable ? sql`WHERE tenant_id = ${city}` : sql``
    const [ref] = await sql`SELECT ${sql(fk.refColumns)} FROM ${sql(fk.refTable)} ${where} LIMIT 1`
    if (!ref) return null
    fk.columns.forEach((column, i) => {
      row[column] = ref[fk.refColumns[i]!]
    })
  }
  for (const column of table.columns) {
    if (column.name in row || !column.notNull || column.hasDefault) continue
    row[column.name] = sampleValue(column.type)
  }
  return row
}
