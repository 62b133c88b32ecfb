import { parseArgs } from 'node:util'
import { loadTaxonomy } from '@desk/tenant-config'
import { parseEnv } from '../../app/utils/env.server'
import { runCli } from '../run-cli'
import { createOwnerSql } from '../../db/owner'
import { timings } from './copy'
import { DEFAULT_SCALE_DATABASE, openScaleDatabase } from './database'
import { defaultHotCityProposals } from './generate'
import { progressBar } from './progress'
import { SCALE_PASSWORD, resetScale, scaleDataState, seedScale } from './seed'

const usage = `usage: pnpm seed:scale --cities N --proposals M [options]

  --cities N                 synthetic cities scale-0001 … (1–9999)
  --proposals M              proposals over all cities
  --hot-city-proposals K     proposals of scale-0001, the benchmark's city
                             (default: 10,000, or M/10 when smaller; M with one city)
  --open-themes T            open themes over all cities, spread evenly (default 2 per city),
                             each with one or two fields of tenants/platform/taxonomy.yaml;
                             every city also has one closed theme
  --published-cases P        published cases over all cities, spread evenly (default 0)
  --database-name NAME       database on the DATABASE_URL server or the embedded cluster
                             (default ${DEFAULT_SCALE_DATABASE}; created and migrated when missing)
  --reset                    first remove the synthetic scale data (scale-% cities, *.scale.invalid
                             users and organisations) — nothing else
  --jobs J                   concurrent batches (default 2)
  --batch-size B             proposals per batch (default 4000)
  --seed S                   random seed (default 20260111)
  --no-vacuum                ANALYZE only at the end instead of VACUUM (ANALYZE)`

function wholeNumber(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required\n${usage}`)
    return fallback
  }
  const n = Number(value.replaceAll(/[_,]/g, ''))
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name}: got ${JSON.stringify(value)}, expected a whole number`)
  return n
}

/** `pnpm seed:scale --cities N --proposals M`: the synthetic scale data set of issue 11, in its own database. */
await runCli(async () => {
  const { values } = parseArgs({
    options: {
      cities: { type: 'string' },
      proposals: { type: 'string' },
      'hot-city-proposals': { type: 'string' },
      'open-themes': { type: 'string' },
      'published-cases': { type: 'string' },
      'database-name': { type: 'string', default: DEFAULT_SCALE_DATABASE },
      reset: { type: 'boolean', default: false },
      jobs: { type: 'string' },
      'batch-size': { type: 'string' },
      seed: { type: 'string' },
      'no-vacuum': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    return
  }
  const cities = wholeNumber('cities', values.cities)
  const proposals = wholeNumber('proposals', values.proposals)
  const hot = wholeNumber(
    'hot-city-proposals',
    values['hot-city-proposals'],
    defaultHotCityProposals(cities, proposals),
  )
  const jobs = wholeNumber('jobs', values.jobs, 2)
  const env = parseEnv()
  const taxonomy = await loadTaxonomy(env.TENANTS_DIR)
  if (!taxonomy.ok) throw new Error(`${env.TENANTS_DIR}/platform/taxonomy.yaml does not validate`)
  const database = await openScaleDatabase(env, values['database-name']!, { log: () => {} })
  const owner = createOwnerSql(database.adminUrl, { max: jobs + 1 })
  try {
    const where = `database ${database.name} (${database.embedded ? 'embedded cluster' : 'DATABASE_URL server'})`
    const existing = await scaleDataState(owner)
    if (existing.cities > 0 || existing.users > 0 || existing.seedRun) {
      if (!values.reset) {
        throw new Error(
          `scale data already exists in ${where}: ${existing.cities} scale cities, ${existing.users} scale users; ` +
            `run again with --reset to remove it (only the synthetic scale data) and seed anew`,
        )
      }
      const started = performance.now()
      console.error(`seed:scale: removing the existing scale data from ${where} …`)
      await resetScale(owner, (message) => console.error(`  ${message}`))
      console.error(
        `seed:scale: removed ${existing.cities} cities and ${existing.users} users in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      )
    }
    console.error(
      `seed:scale: ${cities.toLocaleString('en')} cities, ${proposals.toLocaleString('en')} proposals (scale-0001: ${hot.toLocaleString('en')}) into ${where}`,
    )
    const result = await seedScale(owner, {
      cities,
      proposals,
      hotCityProposals: hot,
      openThemes: wholeNumber('open-themes', values['open-themes'], 2 * cities),
      publishedCases: wholeNumber('published-cases', values['published-cases'], 0),
      platformFields: taxonomy.taxonomy.fields.map((field) => field.id),
      jobs,
      batchSize: values['batch-size'] ? wholeNumber('batch-size', values['batch-size']) : undefined,
      seed: values.seed ? wholeNumber('seed', values.seed) : undefined,
      vacuum: !values['no-vacuum'],
      onProgress: progressBar(),
    })
    if (timings)
      console.table(
        Object.fromEntries(
          Object.entries(timings).map(([t, x]) => [
            t,
            { rows: x.rows, copyMs: Math.round(x.copy), insertMs: Math.round(x.insert) },
          ]),
        ),
      )
    const rows = Object.values(result.rows).reduce((a, b) => a + b, 0)
    console.log(
      `seed:scale: ${result.cities.toLocaleString('en')} cities, ${result.proposals.toLocaleString('en')} proposals, ` +
        `${rows.toLocaleString('en')} rows in ${result.seconds.total.toFixed(1)} s ` +
        `(set-up ${result.seconds.platform.toFixed(1)} s, proposals ${result.seconds.proposals.toFixed(1)} s, vacuum/analyze ${result.seconds.vacuum.toFixed(1)} s)`,
    )
    for (const [table, n] of Object.entries(result.rows))
      console.log(`  ${table.padEnd(22)} ${n.toLocaleString('en').padStart(12)}`)
    console.log(
      `benchmark city: ${result.hotCity.slug} (${result.hotCity.proposals.toLocaleString('en')} proposals); staff sign in as desk-staff-1@${result.hotCity.slug}.scale.invalid / ${SCALE_PASSWORD}`,
    )
  } finally {
    await owner.end({ timeout: 5 })
    await database.stop()
  }
})
