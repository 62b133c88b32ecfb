import { parseEnv } from '../app/utils/env.server'
import { bootstrapDatabase } from '../db/bootstrap'
import { createOwnerSql } from '../db/owner'
import { runCli } from './run-cli'

/**
 * `pnpm operator:grant <email>`: makes an existing account a platform
 * operator. The only way to become one: no page or policy can grant it. The
 * operator enrols a TOTP second factor at their next sign-in.
 */
await runCli(async () => {
  const email = process.argv[2]?.trim()
  if (!email || process.argv.length > 3) throw new Error('usage: pnpm operator:grant <email>')
  const database = await bootstrapDatabase(parseEnv())
  const owner = createOwnerSql(database.adminUrl)
  try {
    await owner.begin(async (sql) => {
      const [user] = await sql<{ id: string }[]>`
        UPDATE users SET platform_role = 'operator', updated_at = now()
         WHERE lower(email) = lower(${email})
        RETURNING id`
      if (!user) throw new Error(`no account with the e-mail address ${email}; the person signs up first`)
      await sql`
        INSERT INTO platform_audit_log (actor_user_id, actor_kind, action, target_type, target_id, payload)
        VALUES (NULL, 'system', 'operator.granted', 'user', ${user.id}, ${sql.json({ email })})`
    })
    console.log(`operator: ${email}`)
  } finally {
    await owner.end()
    await database.stop()
  }
})
