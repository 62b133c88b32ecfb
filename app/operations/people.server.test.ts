import { afterAll, beforeAll, expect, it } from 'vitest'
import postgres from 'postgres'
import type { TestDatabase } from '../../db/testing'
import { openOneCityWorld } from '../test/operations-world'
import { inProposalTransaction, type RequestActor } from './proposals/context.server'
import { submitTestProposal, type TestCity, type TestProposer } from './proposals/testing.server'
import { readOrganisationNames } from './people.server'

let db: TestDatabase
let city: TestCity
let business: TestProposer
const PROPOSALS = 12

beforeAll(async () => {
  ;({ db, city, business } = await openOneCityWorld('komatsu'))
  for (let n = 1; n <= PROPOSALS; n++)
    await submitTestProposal(db.runtimeDb, {
      city,
      proposer: business,
      answers: { title: `名前の確認 ${n}`, summary: '概要です。' },
    })
})
afterAll(async () => {
  await db?.drop()
})

type PlanNode = {
  'Relation Name'?: string
  'Actual Rows'?: number
  'Actual Loops'?: number
  Plans?: PlanNode[]
}

/** Rows of `relation` a scan yielded anywhere in `plan` (each scan's rows times its loops). */
function rowsIn(plan: PlanNode, relation: string): number {
  const own =
    plan['Relation Name'] === relation ? (plan['Actual Rows'] ?? 0) * (plan['Actual Loops'] ?? 1) : 0
  return own + (plan.Plans ?? []).reduce((sum, child) => sum + rowsIn(child, relation), 0)
}

/**
 * The ids a reader (`app_organisations`, `app_people`) gives the desk for `ids`, and the rows of `relation`
 * read for them: auto_explain reports the plan of every statement run inside the reader (the reader's own
 * queries included) as a notice, with actual rows.
 */
async function readByDesk(
  reader: 'app_organisations' | 'app_people',
  ids: string[],
  relation: string,
): Promise<{ names: string[]; rowsRead: number }> {
  const plans: PlanNode[] = []
  const sql = postgres(db.adminUrl, {
    max: 1,
    onnotice: (notice) => {
      const text = String(notice.message)
      const json = text.slice(text.indexOf('{'))
      if (text.includes('duration:')) plans.push((JSON.parse(json) as { Plan: PlanNode }).Plan)
    },
  })
  try {
    await sql.unsafe(`LOAD 'auto_explain'`)
    for (const [name, value] of Object.entries({
      log_min_duration: '0',
      log_analyze: 'on',
      log_nested_statements: 'on',
      log_format: 'json',
      log_level: 'notice',
    }))
      await sql.unsafe(`SET auto_explain.${name} = '${value}'`)
    const names = await sql.begin(async (tx) => {
      await tx`SELECT set_config('app.actor', 'staff', true), set_config('app.tenant_id', ${city.tenant.id}, true),
                      set_config('app.staff_role', 'desk_staff', true)`
      await tx`SET LOCAL ROLE desk_app`
      plans.length = 0
      return tx<{ id: string }[]>`SELECT id FROM ${tx(reader)}(${ids}::uuid[])`
    })
    return {
      names: names.map((row) => row.id),
      rowsRead: plans.reduce((sum, plan) => sum + rowsIn(plan, relation), 0),
    }
  } finally {
    await sql.end()
  }
}

it("names an organisation to the desk from one of its proposals, not by reading every one (12 here; the inbox's page read ~1,900)", async () => {
  const { names, rowsRead } = await readByDesk('app_organisations', [business.organisationId], 'proposals')
  expect(names).toEqual([business.organisationId])
  expect(rowsRead).toBe(1)
})

it('names a submitter to the desk from one of their proposals, by index, not by reading the city’s every one (migration 0047)', async () => {
  const { names, rowsRead } = await readByDesk('app_people', [business.actor.userId], 'proposals')
  expect(names).toEqual([business.actor.userId])
  expect(rowsRead).toBe(1)
})

function namesAs(actor: RequestActor, ids: string[]) {
  return inProposalTransaction(db.runtimeDb, city.tenant, actor, (tx) => readOrganisationNames(tx, ids))
}

it('names it to no department the proposals were not routed to, and to its own members', async () => {
  const department = Object.values(city.department)[0]!
  expect((await namesAs(department, [business.organisationId])).size).toBe(0)
  expect([...(await namesAs(business.actor, [business.organisationId])).keys()]).toEqual([
    business.organisationId,
  ])
})
