import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { formatPlan, parseStateMapping } from '@desk/tenant-config'
import { parseEnv } from '../app/utils/env.server'
import { getFixedT } from '../app/utils/i18n.server'
import { bootstrapDatabase } from '../db/bootstrap'
import { createOwnerSql } from '../db/owner'
import { applyTenant, INVITATION_TTL_DAYS, planTenantApply } from '../db/operator/apply-tenant'
import { runCli } from './run-cli'

const USAGE =
  'usage: pnpm tenants:apply <file.yaml> [--dry-run] [--admin-email <email>] [--map <track.old_state=new_state>]… [--live]'

const HELP = `${USAGE}

Validates a tenant file (the same checks as pnpm tenants:check, and its reference-code prefix against the
cities in the database), prints the plan, then creates or updates the city. A new city starts as a draft:
an operator previews it and makes it live in the operator console (/operator), or pass --live.

  --dry-run             print the plan only; change nothing
  --admin-email <email> invite the city's first desk admin (the link is printed and mailed)
  --map <track.old=new> move proposals of a removed state to a new one when a track changes
  --live                make a new city live at once instead of a draft
  --help                this text

It reaches the same database as the server through the same variables: DATABASE_URL (an external
PostgreSQL), or, for the embedded one, DATA_DIR and EMBEDDED_PG_PORT (defaults .data and 54329, as the
server); APP_ORIGIN builds the invitation link (http://localhost:3000 unless set).`

/**
 * `pnpm tenants:apply <file>`: validates a tenant file, prints the dry-run
 * plan, and (unless --dry-run) creates or updates the city. Running servers
 * pick the change up without a restart (the tenant registry polls the tenants'
 * revisions). A new city starts as a draft unless --live.
 */
await runCli(async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'dry-run': { type: 'boolean', default: false },
      'admin-email': { type: 'string' },
      map: { type: 'string', multiple: true, default: [] },
      live: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(HELP)
    return
  }
  const [file] = positionals
  if (!file || positionals.length > 1) throw new Error(USAGE)
  const { mapping, problems: mappingProblems } = parseStateMapping(values.map ?? [])
  if (mappingProblems.length > 0) throw new Error(`--map ${mappingProblems[0]}`)

  const env = parseEnv()
  const database = await bootstrapDatabase(env)
  const owner = createOwnerSql(database.adminUrl)
  try {
    const request = {
      source: await readFile(file, 'utf8'),
      file: path.relative(process.cwd(), path.resolve(file)),
      stateMapping: mapping,
      tenantsDir: env.TENANTS_DIR,
    }
    const prepared = await planTenantApply(owner, request)
    if (!prepared.ok) {
      for (const problem of prepared.problems) console.error(problem)
      throw new Error(`${request.file}: not applied (${prepared.problems.length} problem(s))`)
    }
    for (const line of formatPlan(prepared.plan)) console.log(line)
    if (!prepared.plan.applicable) throw new Error(`${request.file}: not applied, the plan is refused`)
    if (values['dry-run']) return

    const email = values['admin-email']
    const t = await getFixedT('ja')
    const applied = await applyTenant(owner, {
      ...request,
      actorUserId: null,
      live: values.live,
      invitation: email
        ? {
            email,
            origin: env.APP_ORIGIN,
            mail: (link) => {
              const city = prepared.loaded.config.identity.name.ja ?? prepared.loaded.config.slug
              return {
                subject: t('auth:mail.invitation.subject', { city }),
                text: t('auth:mail.invitation.body', {
                  city,
                  inviter: t('operator:platformOperator'),
                  role: t('auth:roles.desk_admin'),
                  link,
                  days: INVITATION_TTL_DAYS,
                }),
              }
            },
          }
        : undefined,
    })
    console.log(`applied: ${applied.slug} (${applied.status})`)
    if (applied.invitationLink) console.log(`invitation for ${email}: ${applied.invitationLink}`)
  } finally {
    await owner.end()
    await database.stop()
  }
})
