import { randomUUID } from 'node:crypto'
import postgres from 'postgres'
import { afterAll, expect, it } from 'vitest'
import { createTestCitiesAndProposers, submitTestProposal } from '../../app/operations/proposals/testing.server'
import { runtimeDbFromClient } from '../runtime'
import { distribute } from './distribute'
import { createCitusTestDatabase, type CitusTestDatabase } from './testing'

/**
 * `db:distribute` of a database already in use (a single-PostgreSQL deployment moving to Citus):
 * converting a table copies its rows into the shards, which would fire its triggers there — the
 * reference counter's and the notifications' (migration 0035) then query other tenant tables from a
 * shard, which Citus refuses. Distribution takes the triggers off for the copy and puts them back.
 */
let db: CitusTestDatabase | undefined
afterAll(async () => {
  await db?.drop()
})

it('distributes a database that holds submitted proposals and notifications; the triggers work afterwards', async () => {
  db = await createCitusTestDatabase() // migrated, not distributed
  const ownerSql = postgres(db.adminUrl, { max: 1, onnotice: () => {} })
  await ownerSql`SET ROLE desk_owner`
  const fixtures = await createTestCitiesAndProposers(ownerSql)
  await ownerSql.end()
  const runtime = runtimeDbFromClient(postgres(db.runtimeUrl, { max: 1, onnotice: () => {} }))
  const submit = () =>
    submitTestProposal(runtime, {
      city: fixtures.cities.komatsu!,
      proposer: fixtures.business,
      answers: { title: `移行確認 ${randomUUID().slice(0, 8)}`, summary: '移行の確認です。' },
    })
  const notifications = async () =>
    (await db!.adminSql<{ n: number }[]>`SELECT count(*)::int AS n FROM notification_outbox`)[0]!.n
  try {
    const before = await submit()
    const held = await notifications()
    expect(held).toBeGreaterThan(0)

    await distribute(db.adminSql, undefined, { shardCount: 4 })
    expect(await notifications()).toBe(held)

    // The counter and the addressing trigger are back on the shards.
    const after = await submit()
    const number = (code: string | null) => Number(code!.split('-').at(-1))
    expect(number(after.referenceCode)).toBe(number(before.referenceCode) + 1)
    expect(await notifications()).toBeGreaterThan(held)
  } finally {
    await runtime.$client.end()
  }
}, 300_000)
