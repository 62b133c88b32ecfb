import { randomUUID } from 'node:crypto'
import type postgres from 'postgres'
import { hashPassword } from '../../db/password'
import { copyInsert, push, rows, type Rows } from './copy'
import {
  SCALE_EMAIL_DOMAIN,
  SCALE_SLUG_PREFIX,
  answers,
  between,
  cityNameEn,
  cityNameJa,
  cityPrefix,
  cityQuotas,
  citySlug,
  collaborationMethods,
  copyValue as v,
  createRandom,
  defaultHotCityProposals,
  departmentSpecs,
  messageBody,
  methodChosenOrLater,
  noteBody,
  organisationName,
  paths,
  personName,
  pick,
  stateForAge,
  terminalStates,
  title,
  type Random,
  uuidV7,
} from './generate'

/**
 * The synthetic scale data set (issue 11): cities `scale-0001…`, their
 * departments, staff and themes, organisations with their members, and
 * proposals spread over the cities (city `scale-0001` gets exactly
 * `hotCityProposals`, the others a Zipf-like share), in states that depend on
 * their age, with events, messages, routing, internal notes and attachment
 * metadata. Loaded with COPY (./copy.ts) in batches on several connections of
 * the owner pool; RLS, constraints and indexes stay in place.
 */
export const SCALE_SEED_NAME = 'scale'
export const SCALE_PASSWORD = 'scale-pass-2026'

export type ScaleOptions = {
  cities: number
  proposals: number
  hotCityProposals?: number
  /** Open themes over all cities, spread evenly (default 2 per city); each city also has one closed theme. */
  openThemes?: number
  /** Published cases over all cities, spread evenly (default none). */
  publishedCases?: number
  /**
   * The platform taxonomy's field ids (tenants/platform/taxonomy.yaml) that themes and cases are
   * given one or two of (as `fields` and `platform_fields`), so the cross-city filters match.
   */
  platformFields?: readonly string[]
  seed?: number
  /** Concurrent batches (connections of the owner pool). */
  jobs?: number
  batchSize?: number
  /** VACUUM (ANALYZE) the loaded tables at the end; otherwise ANALYZE only. */
  vacuum?: boolean
  now?: Date
  onProgress?: (progress: ScaleProgress) => void
}

export type ScaleProgress = {
  phase: 'platform' | 'proposals' | 'vacuum' | 'done'
  done: number
  total: number
  rows: number
}

export type ScaleResult = {
  cities: number
  proposals: number
  hotCity: { slug: string; id: string; proposals: number }
  rows: Record<string, number>
  seconds: { platform: number; proposals: number; vacuum: number; total: number }
}

export type ScaleState = { cities: number; users: number; seedRun: boolean }

const emailLike = `%.${SCALE_EMAIL_DOMAIN}`

/** What scale data the database holds already (the seeder refuses to add to it). */
export async function scaleDataState(sql: postgres.Sql): Promise<ScaleState> {
  const [row] = await sql<{ cities: number; users: number; seed_run: boolean }[]>`
    SELECT (SELECT count(*)::int FROM tenants WHERE slug LIKE ${SCALE_SLUG_PREFIX + '%'}) AS cities,
           (SELECT count(*)::int FROM users WHERE lower(email) LIKE ${emailLike}) AS users,
           EXISTS (SELECT 1 FROM seed_runs WHERE name = ${SCALE_SEED_NAME}) AS seed_run`
  return { cities: row!.cities, users: row!.users, seedRun: row!.seed_run }
}

/**
 * Removes the synthetic scale data only: the `scale-%` tenants with every row
 * of theirs (children first, in foreign-key order, then the tenants), the
 * organisations and users of the reserved `scale.invalid` domain, and the
 * `seed_runs` row. Nothing else is touched.
 */
export async function resetScale(
  sql: postgres.Sql,
  log: (message: string) => void = () => {},
): Promise<ScaleState> {
  const before = await scaleDataState(sql)
  const tenantIds = (
    await sql<{ id: string }[]>`SELECT id FROM tenants WHERE slug LIKE ${SCALE_SLUG_PREFIX + '%'}`
  ).map((r) => r.id)
  if (tenantIds.length > 0) {
    for (const table of await tenantTablesChildrenFirst(sql)) {
      const started = performance.now()
      const result = await sql.unsafe(`DELETE FROM "${table}" WHERE tenant_id = ANY($1::uuid[])`, [tenantIds])
      if (result.count > 0)
        log(
          `reset: ${table}: ${result.count.toLocaleString('en')} rows (${((performance.now() - started) / 1000).toFixed(1)} s)`,
        )
    }
    await sql`DELETE FROM tenants WHERE id = ANY(${tenantIds}::uuid[])`
  }
  await sql`DELETE FROM organisations WHERE lower(contact_email) LIKE ${emailLike}`
  await sql`DELETE FROM users WHERE lower(email) LIKE ${emailLike}`
  await sql`DELETE FROM seed_runs WHERE name = ${SCALE_SEED_NAME}`
  return before
}

/** Every table with a tenant_id column, ordered so that referencing tables come before referenced ones. */
export async function tenantTablesChildrenFirst(sql: postgres.Sql): Promise<string[]> {
  const tables = (
    await sql<{ name: string }[]>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
       ORDER BY c.relname`
  ).map((r) => r.name)
  const edges = await sql<{ child: string; parent: string }[]>`
    SELECT cc.relname AS child, pc.relname AS parent FROM pg_constraint k
      JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_class pc ON pc.oid = k.confrelid
      JOIN pg_namespace n ON n.oid = cc.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND cc.relname <> pc.relname`
  const ordered: string[] = []
  const remaining = new Set(tables)
  while (remaining.size > 0) {
    // A table can go once nothing still remaining references it.
    const next = [...remaining].find((t) => !edges.some((e) => e.parent === t && remaining.has(e.child)))
    const table = next ?? [...remaining][0]!
    ordered.push(table)
    remaining.delete(table)
  }
  return ordered
}

type City = {
  index: number
  id: string
  slug: string
  prefix: string
  departments: string[]
  deskStaff: string[]
  departmentStaff: string[]
  openThemes: string[]
  themes: string[]
  /** Reference numbers: the year being numbered and the last number used. */
  year: number
  sequence: number
}
type Organisation = { id: string; members: string[] }

const DAY = 86_400_000
const SPAN_DAYS = 3 * 365
const NOTE_IDS = ['privacy', 'intellectual_property', 'no_guarantee']

const col = {
  tenants: ['id', 'slug', 'status', 'config_version', 'name_ja', 'name_en', 'reference_prefix'],
  users: ['id', 'email', 'display_name', 'locale', 'password_hash'],
  organisations: ['id', 'name', 'kind', 'corporate_number', 'address', 'contact_person', 'contact_email'],
  organisation_members: ['organisation_id', 'user_id', 'role'],
  departments: ['tenant_id', 'id', 'key', 'name_ja', 'name_en'],
  city_memberships: ['tenant_id', 'user_id', 'role', 'department_id'],
  themes: [
    'tenant_id',
    'id',
    'title_ja',
    'title_en',
    'background_ja',
    'department_id',
    'deadline',
    'status',
    'published_at',
    'created_by',
    'fields',
    'platform_fields',
  ],
  published_cases: [
    'tenant_id',
    'id',
    'status',
    'title_ja',
    'summary_ja',
    'partner_name',
    'collaboration_method',
    'fields',
    'platform_fields',
    'started_on',
    'published_at',
    'created_by',
  ],
  proposals: [
    'tenant_id',
    'id',
    'organisation_id',
    'submitter_user_id',
    'proposal_type',
    'theme_id',
    'track',
    'collaboration_method',
    'state',
    'version',
    'reference_code',
    'title',
    'answers',
    'acknowledgements',
    'idempotency_key',
    'submitted_at',
    'early_answer_due_at',
    'decided_at',
    'created_at',
    'updated_at',
  ],
  proposal_departments: ['tenant_id', 'id', 'proposal_id', 'department_id', 'assigned_by', 'assigned_at'],
  proposal_events: [
    'tenant_id',
    'id',
    'proposal_id',
    'actor_user_id',
    'actor_side',
    'from_state',
    'to_state',
    'transition',
    'reason',
    'visible_to_proposer',
    'at',
  ],
  messages: ['tenant_id', 'id', 'proposal_id', 'author_user_id', 'author_side', 'body', 'created_at'],
  internal_notes: ['tenant_id', 'id', 'proposal_id', 'author_user_id', 'body', 'created_at'],
  attachments: [
    'tenant_id',
    'id',
    'proposal_id',
    'message_id',
    'visibility',
    'stored_name',
    'original_name',
    'mime',
    'size',
    'sha256',
    'uploaded_by',
    'created_at',
  ],
} as const

const iso = (ms: number) => new Date(ms).toISOString()
const hex64 = () => randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '')

/** Shuffled city index of every proposal, in submission order; exact per-city counts. */
function assignCities(quotas: number[], random: Random): Uint16Array {
  const total = quotas.reduce((a, b) => a + b, 0)
  const cityOf = new Uint16Array(total)
  let at = 0
  quotas.forEach((quota, city) => {
    cityOf.fill(city, at, at + quota)
    at += quota
  })
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = cityOf[i]!
    cityOf[i] = cityOf[j]!
    cityOf[j] = t
  }
  return cityOf
}

export async function seedScale(ownerSql: postgres.Sql, options: ScaleOptions): Promise<ScaleResult> {
  const { cities: cityCount, proposals: total } = options
  if (!Number.isInteger(cityCount) || cityCount < 1 || cityCount > 9999)
    throw new Error('cities: a whole number from 1 to 9999')
  if (!Number.isInteger(total) || total < 0) throw new Error('proposals: a whole number, 0 or more')
  const hot = options.hotCityProposals ?? defaultHotCityProposals(cityCount, total)
  if (hot > total) throw new Error(`hot city proposals (${hot}) exceed proposals (${total})`)
  const seed = options.seed ?? 20_260_111
  const jobs = Math.max(1, options.jobs ?? 2)
  const batchSize = options.batchSize ?? 4000
  const now = (options.now ?? new Date()).getTime()
  const start = now - SPAN_DAYS * DAY
  const report = options.onProgress ?? (() => {})
  const counts: Record<string, number> = {}
  const count = (table: string, n: number) => (counts[table] = (counts[table] ?? 0) + n)
  const totalRows = () => Object.values(counts).reduce((a, b) => a + b, 0)
  const t0 = performance.now()

  const random = createRandom(seed)
  // Themes' and cases' fields come from their own stream, so the proposals stay as they were.
  const contentRandom = createRandom(seed + 1)
  const platformFields = options.platformFields ?? []
  const fieldsOf = () => {
    if (platformFields.length === 0) return '{}'
    const first = pick(contentRandom, platformFields)
    const second = contentRandom() < 0.3 ? pick(contentRandom, platformFields) : first
    return `{${[...new Set([first, second])].join(',')}}`
  }
  const openThemes = options.openThemes ?? 2 * cityCount
  const publishedCases = options.publishedCases ?? 0
  /** An even share of `total` for city `index`. */
  const shareOf = (total: number, index: number) =>
    Math.floor(total / cityCount) + (index < total % cityCount ? 1 : 0)
  const quotas = cityQuotas(cityCount, total, hot)
  const passwordHash = await hashPassword(SCALE_PASSWORD)

  // ---- platform rows and the cities' own set-up, one transaction ----------
  const orgCount = Math.max(3, Math.round(total / 25))
  const cities: City[] = []
  const organisations: Organisation[] = []
  report({ phase: 'platform', done: 0, total: cityCount, rows: 0 })
  await ownerSql.begin(async (tx) => {
    await tx`SET LOCAL synchronous_commit = off`
    const [claimed] = await tx`
      INSERT INTO seed_runs (name, details) VALUES (${SCALE_SEED_NAME}, ${tx.json({ status: 'seeding', cities: cityCount, proposals: total })})
      ON CONFLICT (name) DO NOTHING RETURNING name`
    if (!claimed) throw new Error('scale data already exists (seed_runs has "scale"); use --reset')
    const t = {
      tenants: rows('tenants', col.tenants),
      users: rows('users', col.users),
      organisations: rows('organisations', col.organisations),
      organisation_members: rows('organisation_members', col.organisation_members),
      departments: rows('departments', col.departments),
      city_memberships: rows('city_memberships', col.city_memberships),
      themes: rows('themes', col.themes),
      published_cases: rows('published_cases', col.published_cases),
    }
    const user = (email: string, name: string) => {
      const id = randomUUID()
      push(t.users, [id, v(email), v(name), random() < 0.9 ? 'ja' : 'en', v(passwordHash)])
      return id
    }
    for (let index = 0; index < cityCount; index++) {
      const slug = citySlug(index)
      const domain = `${slug}.${SCALE_EMAIL_DOMAIN}`
      const city: City = {
        index,
        id: randomUUID(),
        slug,
        prefix: cityPrefix(index),
        departments: [],
        deskStaff: [],
        departmentStaff: [],
        openThemes: [],
        themes: [],
        year: 0,
        sequence: 0,
      }
      push(t.tenants, [
        city.id,
        slug,
        'live',
        'scale-1',
        v(cityNameJa(index)),
        v(cityNameEn(index)),
        city.prefix,
      ])
      for (const d of departmentSpecs) {
        const id = randomUUID()
        city.departments.push(id)
        push(t.departments, [city.id, id, d.key, d.nameJa, d.nameEn])
      }
      const admin = user(`desk-admin@${domain}`, `${cityNameJa(index)} デスク管理者`)
      push(t.city_memberships, [city.id, admin, 'desk_admin', '\\N'])
      city.deskStaff.push(admin)
      const deskCount = index === 0 ? 4 : 2
      for (let k = 1; k <= deskCount; k++) {
        const id = user(`desk-staff-${k}@${domain}`, personName(random))
        push(t.city_memberships, [city.id, id, 'desk_staff', '\\N'])
        city.deskStaff.push(id)
      }
      departmentSpecs.forEach((d, k) => {
        const id = user(`dept-${d.key}@${domain}`, personName(random))
        push(t.city_memberships, [city.id, id, 'department_staff', city.departments[k]!])
        city.departmentStaff.push(id)
      })
      const openHere = shareOf(openThemes, index)
      for (let k = 0; k <= openHere; k++) {
        const id = randomUUID()
        const open = k < openHere
        const themeTitle = title(random)
        const fields = fieldsOf()
        push(t.themes, [
          city.id,
          id,
          v(themeTitle),
          '',
          v(answers(random, themeTitle).background!),
          pick(random, city.departments),
          iso(now + (open ? between(contentRandom, 1, 120) : -30) * DAY).slice(0, 10),
          open ? 'open' : 'closed',
          iso(now - between(random, 30, 400) * DAY),
          city.deskStaff[1]!,
          fields,
          fields,
        ])
        city.themes.push(id)
        if (open) city.openThemes.push(id)
      }
      for (let k = 0; k < shareOf(publishedCases, index); k++) {
        const fields = fieldsOf()
        const startedDaysAgo = between(contentRandom, 30, SPAN_DAYS)
        const caseTitle = title(contentRandom)
        push(t.published_cases, [
          city.id,
          randomUUID(),
          'published',
          v(caseTitle),
          v(answers(contentRandom, caseTitle).background!),
          v(organisationName(contentRandom, k + 1).name),
          pick(contentRandom, collaborationMethods),
          fields,
          fields,
          iso(now - startedDaysAgo * DAY).slice(0, 10),
          iso(now - between(contentRandom, 1, startedDaysAgo) * DAY),
          city.deskStaff[0]!,
        ])
      }
      cities.push(city)
    }
    for (let index = 0; index < orgCount; index++) {
      const id = randomUUID()
      const { name, kind } = organisationName(random, index + 1)
      const contact = personName(random)
      const members = [user(`member-${index + 1}-1@org.${SCALE_EMAIL_DOMAIN}`, contact)]
      if (random() < 0.3)
        members.push(user(`member-${index + 1}-2@org.${SCALE_EMAIL_DOMAIN}`, personName(random)))
      push(t.organisations, [
        id,
        v(name),
        kind,
        kind === 'corporation' ? String(1_000_000_000_000 + index) : '\\N',
        `架空県架空郡${index % 97}-${index % 13}`,
        v(contact),
        `org-${index + 1}@org.${SCALE_EMAIL_DOMAIN}`,
      ])
      members.forEach((member, k) => push(t.organisation_members, [id, member, k === 0 ? 'owner' : 'member']))
      organisations.push({ id, members })
    }
    for (const target of Object.values(t)) count(target.table, await copyInsert(tx, target))
  })
  report({ phase: 'platform', done: cityCount, total: cityCount, rows: totalRows() })
  const platformSeconds = (performance.now() - t0) / 1000

  // ---- proposals and their children, in batches ----------------------------
  const t1 = performance.now()
  const cityOf = assignCities(quotas, random)
  let done = 0
  report({ phase: 'proposals', done, total, rows: totalRows() })

  const generate = (from: number, to: number) => {
    const r = createRandom(seed ^ (from * 2654435761))
    const b = {
      proposals: rows('proposals', col.proposals),
      proposal_departments: rows('proposal_departments', col.proposal_departments),
      proposal_events: rows('proposal_events', col.proposal_events),
      messages: rows('messages', col.messages),
      internal_notes: rows('internal_notes', col.internal_notes),
      attachments: rows('attachments', col.attachments),
    }
    const answeredThemes = new Set<string>()
    for (let i = from; i < to; i++) {
      const city = cities[cityOf[i]!]!
      const submittedMs = Math.floor(start + ((i + r()) / total) * SPAN_DAYS * DAY)
      const state = stateForAge(r, 1 - i / total)
      const path = paths[state]!
      const draft = state === 'draft'
      const createdMs = submittedMs - between(r, 1, 14) * DAY
      const id = uuidV7(createdMs)
      const themed = r() < 0.3
      const type = themed ? 'theme' : 'free'
      const org = organisations[Math.floor(organisations.length * r() * r())]!
      const submitter = pick(r, org.members)
      const titleText = title(r)
      // When things happened: submission, then one step every few days to weeks (never after now).
      const times: number[] = [submittedMs]
      for (let k = 1; k < path.transitions.length; k++) {
        const previous = times[k - 1]!
        // Strictly increasing, so the latest event is always the current state (a minute apart near now).
        times.push(
          Math.max(
            previous + 60_000,
            Math.min(now - 3_600_000, previous + between(r, 1, 40) * DAY + between(r, 0, 86_399) * 1000),
          ),
        )
      }
      const last = times[times.length - 1]!
      let reference = '\\N'
      if (!draft) {
        const year = new Date(submittedMs).getUTCFullYear()
        if (year !== city.year) {
          city.year = year
          city.sequence = 0
        }
        reference = `${city.prefix}-${year}-${String(++city.sequence).padStart(5, '0')}`
      }
      const themeId = themed ? pick(r, city.themes) : undefined
      if (themeId) answeredThemes.add(themeId)
      push(b.proposals, [
        city.id,
        id,
        org.id,
        submitter,
        type,
        themeId ?? '\\N',
        type,
        methodChosenOrLater.has(state) ? pick(r, collaborationMethods) : '\\N',
        state,
        String(path.states.length),
        reference,
        v(titleText),
        v(JSON.stringify(answers(r, titleText))),
        draft ? '{}' : v(JSON.stringify({ notes: NOTE_IDS, configVersion: 'scale-1', at: iso(submittedMs) })),
        randomUUID(),
        draft ? '\\N' : iso(submittedMs),
        draft ? '\\N' : iso(submittedMs + 30 * DAY),
        terminalStates.has(state) ? iso(last) : '\\N',
        iso(createdMs),
        iso(draft ? createdMs : last),
      ])
      if (draft) continue

      // Routing: from the department's assessment on (not for proposals stopped at intake).
      const routed: number[] = []
      if (path.states.includes('feasibility')) {
        routed.push(between(r, 0, city.departments.length - 1))
        if (r() < 0.2) routed.push((routed[0]! + 1) % city.departments.length)
        for (const k of routed)
          push(b.proposal_departments, [
            city.id,
            uuidV7(times[1] ?? submittedMs),
            id,
            city.departments[k]!,
            city.deskStaff[1]!,
            iso(times[1] ?? submittedMs),
          ])
      }
      const deptUser = routed.length > 0 ? city.departmentStaff[routed[0]!]! : city.departmentStaff[0]!
      const deskUser = pick(r, city.deskStaff)
      for (let k = 0; k < path.transitions.length; k++) {
        const side = path.sides[k]!
        const actor = side === 'proposer' ? submitter : side === 'desk' ? deskUser : deptUser
        const to = path.states[k + 1]!
        push(b.proposal_events, [
          city.id,
          uuidV7(times[k]!),
          id,
          actor,
          side,
          path.states[k]!,
          to,
          path.transitions[k]!,
          to === 'declined' || to === 'not_accepted' ? '現時点では実施が難しいため。' : '\\N',
          path.visible[k] ? 't' : 'f',
          iso(times[k]!),
        ])
      }

      // The dialogue.
      const messageCount =
        state === 'intake'
          ? r() < 0.3
            ? 1
            : 0
          : state === 'not_accepted'
            ? between(r, 1, 2)
            : between(r, 1, 6)
      let side: 'proposer' | 'city' = r() < 0.5 ? 'proposer' : 'city'
      const window = Math.max(3_600_000, Math.min(now, last + 20 * DAY) - submittedMs)
      let at = submittedMs
      for (let k = 0; k < messageCount; k++) {
        at = Math.min(now - 60_000, at + Math.floor(r() * (window / messageCount)) + 60_000)
        const messageId = uuidV7(at)
        const author = side === 'proposer' ? pick(r, org.members) : r() < 0.6 ? deskUser : deptUser
        push(b.messages, [city.id, messageId, id, author, side, v(messageBody(r, side)), iso(at)])
        if (r() < 0.1) {
          push(b.attachments, [
            city.id,
            uuidV7(at),
            id,
            messageId,
            'shared',
            `${randomUUID()}.pdf`,
            side === 'proposer' ? '補足資料.pdf' : '協定書(案).pdf',
            'application/pdf',
            String(between(r, 40_000, 3_000_000)),
            hex64(),
            author,
            iso(at),
          ])
        }
        side = side === 'proposer' ? 'city' : 'proposer'
      }
      if (r() < 0.35) {
        push(b.attachments, [
          city.id,
          uuidV7(submittedMs),
          id,
          '\\N',
          'shared',
          `${randomUUID()}.pdf`,
          pick(r, ['提案書.pdf', '事業計画書.pdf', '会社概要.pdf', 'イメージ図.pdf']),
          'application/pdf',
          String(between(r, 80_000, 8_000_000)),
          hex64(),
          submitter,
          iso(submittedMs),
        ])
      }
      if (routed.length > 0 && r() < 0.1) {
        push(b.attachments, [
          city.id,
          uuidV7(times[2] ?? submittedMs),
          id,
          '\\N',
          'internal',
          `${randomUUID()}.pdf`,
          '庁内協議記録.pdf',
          'application/pdf',
          String(between(r, 30_000, 900_000)),
          hex64(),
          deskUser,
          iso(times[2] ?? submittedMs),
        ])
      }
      if (path.states.length > 3 && r() < 0.15)
        push(b.internal_notes, [
          city.id,
          uuidV7(times[1] ?? submittedMs),
          id,
          deskUser,
          v(noteBody(r)),
          iso(times[1] ?? submittedMs),
        ])
    }
    return { rows: b, answeredThemes: [...answeredThemes] }
  }

  let next = 0
  const worker = async () => {
    for (;;) {
      const from = next
      if (from >= total) return
      const to = Math.min(total, from + batchSize)
      next = to
      // Generated synchronously, in submission order: reference numbers stay in order per city.
      const batch = generate(from, to)
      await ownerSql.begin(async (tx) => {
        await tx`SET LOCAL synchronous_commit = off`
        // Each proposal answering a theme updates the theme's row (proposer_organisation_ids, a
        // trigger since migration 0024), in the batch's own order: two batches would take the same
        // themes' locks in different orders and deadlock. Taking them all first, in one order, makes
        // the batches queue instead.
        await tx`SELECT 1 FROM themes WHERE id = ANY(${batch.answeredThemes}::uuid[]) ORDER BY id FOR NO KEY UPDATE`
        for (const target of Object.values(batch.rows) as Rows[]) count(target.table, await copyInsert(tx, target))
      })
      done += to - from
      report({ phase: 'proposals', done, total, rows: totalRows() })
    }
  }
  await Promise.all(Array.from({ length: jobs }, worker))
  const proposalSeconds = (performance.now() - t1) / 1000

  // ---- statistics (autovacuum may be off or slow to notice a bulk load) ----
  const t2 = performance.now()
  const loaded = [
    'tenants',
    'users',
    'organisations',
    'organisation_members',
    'departments',
    'city_memberships',
    'themes',
    ...Object.keys(col).slice(7),
  ]
  report({ phase: 'vacuum', done: 0, total: loaded.length, rows: totalRows() })
  for (const [k, table] of loaded.entries()) {
    await ownerSql.unsafe(`${options.vacuum === false ? 'ANALYZE' : 'VACUUM (ANALYZE)'} "${table}"`)
    report({ phase: 'vacuum', done: k + 1, total: loaded.length, rows: totalRows() })
  }
  const vacuumSeconds = (performance.now() - t2) / 1000
  const totalSeconds = (performance.now() - t0) / 1000

  const hotCity = { slug: cities[0]!.slug, id: cities[0]!.id, proposals: quotas[0]! }
  const details = {
    status: 'done',
    cities: cityCount,
    proposals: total,
    hotCity,
    seed,
    rows: counts,
    seconds: {
      platform: platformSeconds,
      proposals: proposalSeconds,
      vacuum: vacuumSeconds,
      total: totalSeconds,
    },
  }
  await ownerSql`UPDATE seed_runs SET details = ${ownerSql.json(details)}, ran_at = now() WHERE name = ${SCALE_SEED_NAME}`
  report({ phase: 'done', done: total, total, rows: totalRows() })
  return {
    cities: cityCount,
    proposals: total,
    hotCity,
    rows: counts,
    seconds: {
      platform: platformSeconds,
      proposals: proposalSeconds,
      vacuum: vacuumSeconds,
      total: totalSeconds,
    },
  }
}
