import { parseArgs } from 'node:util'
import { loadTenantDirectory, type TenantConfig } from '@desk/tenant-config'
import { listDeskInbox } from '../app/operations/inbox/desk-inbox.server'
import { listMyProposals } from '../app/operations/inbox/my-proposals.server'
import {
  createTestCitiesAndProposers,
  submitTestProposal,
} from '../app/operations/proposals/testing.server'
import { runCli } from './run-cli'
import { createOwnerSql } from '../db/owner'
import { createRuntimeDb, type RuntimeDb } from '../db/runtime'
import { createTestDatabase } from '../db/testing'
import { startCitusCluster } from '../db/citus/cluster'
import { distribute } from '../db/citus/distribute'
import { createCitusTestDatabase } from '../db/citus/testing'

/**
 * The desk inbox on one PostgreSQL against the local Citus cluster (a
 * coordinator and two workers on this machine), same run, same data, same
 * operations (docs/scaling.md). Two databases, each with the cities of
 * tenants/ and --proposals proposals per city submitted through the product,
 * both with the product's row-level security (migration 0034):
 *
 * - `pg`      the machine's PostgreSQL;
 * - `citus`   the local cluster, distributed by db:distribute (32 shards) before
 *             the cities are made and the proposals submitted.
 *
 * Each variant answers --requests sequential inbox reads of the first city's
 * desk, in interleaved rounds; then the proposer's every-city list (the one
 * multi-shard read).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm exec tsx scripts/citus-bench-inbox.ts [--proposals 200] [--rounds 3] [--requests 100]
 */
/** The required text answers of a city's free proposal form, the title in each. */
function freeProposalAnswers(config: TenantConfig, title: string): Record<string, string> {
  const formId = config.proposalTypes.find((type) => type.id === 'free')?.form
  const form = config.forms.find((candidate) => candidate.id === formId)
  const answers: Record<string, string> = {}
  for (const field of form?.fields ?? [])
    if (field.required && (field.type === 'text' || field.type === 'long_text')) answers[field.id] = title
  return answers
}

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      proposals: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '3' },
      requests: { type: 'string', default: '100' },
    },
  })
  const serverUrl = process.env.DATABASE_URL
  if (!serverUrl)
    throw new Error('DATABASE_URL (a PostgreSQL server where databases may be created) is required')
  const perCity = Number(values.proposals)
  const cluster = await startCitusCluster()
  const configs = new Map<string, TenantConfig>()
  for (const tenant of (await loadTenantDirectory('tenants')).tenants)
    configs.set(tenant.config.slug, tenant.config)

  const plain = await createTestDatabase({ serverUrl })
  const citus = await createCitusTestDatabase({ cluster })
  const variants = [
    { name: 'pg', database: plain, distributed: false },
    { name: 'citus', database: citus, distributed: true },
  ]
  const prepared: {
    name: string
    db: RuntimeDb
    inbox: () => Promise<unknown>
    mine: () => Promise<unknown>
  }[] = []
  try {
    for (const variant of variants) {
      // Distributed first (32 shards), as a deployment is: then the cities and the submissions go
      // through the product onto the shards.
      if (variant.distributed) await distribute(variant.database.adminSql)
      const owner = createOwnerSql(variant.database.adminUrl)
      const fixtures = await createTestCitiesAndProposers(owner)
      await owner.end()
      const started = performance.now()
      // Every city of tenants/, answering the required text fields of its free proposal form.
      for (const city of Object.values(fixtures.cities))
        for (let i = 0; i < perCity; i++)
          await submitTestProposal(variant.database.runtimeDb, {
            city,
            proposer: i % 2 ? fixtures.business : fixtures.rival,
            trackId: city.tenant.config.tracks.find((track) => track.proposalTypes.includes('free'))?.id,
            answers: freeProposalAnswers(city.tenant.config, `提案 ${i}`),
          })
      await variant.database.adminSql`ANALYZE`
      console.log(
        `${variant.name}: ${perCity * Object.keys(fixtures.cities).length} proposals submitted in ${((performance.now() - started) / 1000).toFixed(1)} s${variant.distributed ? ' on the distributed schema' : ''}`,
      )
      const db = createRuntimeDb(variant.database.runtimeUrl, { max: 2 })
      const city = Object.values(fixtures.cities)[0]!
      prepared.push({
        name: variant.name,
        db,
        inbox: () => listDeskInbox(db, { tenant: city.tenant, actor: city.desk, filters: {}, locale: 'ja' }),
        mine: () =>
          listMyProposals(db, {
            userId: fixtures.business.actor.userId,
            configOf: (slug) => configs.get(slug),
            locale: 'ja',
            page: 1,
          }),
      })
    }
    const requests = Number(values.requests)
    const totals = new Map<string, { inbox: number; mine: number }>()
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const variant of prepared) {
        const total = totals.get(variant.name) ?? { inbox: 0, mine: 0 }
        await variant.inbox() // warm the connection and the plan
        let started = performance.now()
        for (let i = 0; i < requests; i++) await variant.inbox()
        total.inbox += performance.now() - started
        started = performance.now()
        for (let i = 0; i < requests / 4; i++) await variant.mine()
        total.mine += (performance.now() - started) * 4
        totals.set(variant.name, total)
      }
    }
    const count = requests * Number(values.rounds)
    const mean = (name: string, key: 'inbox' | 'mine') => totals.get(name)![key] / count
    console.log(
      `\n${count} sequential requests per variant (${values.rounds} interleaved rounds), ms per request:`,
    )
    console.log('variant   desk inbox   proposer every-city list')
    for (const { name } of prepared)
      console.log(
        `${name.padEnd(9)} ${mean(name, 'inbox').toFixed(2).padStart(10)}   ${mean(name, 'mine').toFixed(2).padStart(10)}`,
      )
    console.log(
      `ratio citus / pg (same operations, RLS on both): inbox ${(mean('citus', 'inbox') / mean('pg', 'inbox')).toFixed(2)}, every-city list ${(mean('citus', 'mine') / mean('pg', 'mine')).toFixed(2)}`,
    )
  } finally {
    await Promise.all(prepared.map((variant) => variant.db.$client.end()))
    for (const variant of variants) await variant.database.drop().catch(() => {})
  }
})
