import { z } from 'zod'
import { FILE_STORAGE_KINDS } from '../../db/file-storage/store'

const postgresUrl = z
  .string()
  .url('a URL such as postgres://user@host:5432/database')
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'a postgres:// or postgresql:// URL')

const port = z.coerce
  .number({ invalid_type_error: 'a port number' })
  .int('a whole port number')
  .min(1, 'a port from 1 to 65535')
  .max(65535, 'a port from 1 to 65535')

const APP_ORIGIN_EXPECTED = 'an origin such as https://desk.example.jp'

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value)

/** Every variable the server reads. `.env.example` documents each one. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(3000),
  /**
   * The site's public origin: every absolute link (e-mails, feeds) and the CSRF origin check are built
   * from it, never from the request's Host header. Required in production; elsewhere http://localhost:PORT.
   */
  APP_ORIGIN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .url(APP_ORIGIN_EXPECTED)
      .refine((value) => /^https?:\/\//.test(value), APP_ORIGIN_EXPECTED)
      .transform((value) => new URL(value).origin)
      .optional(),
  ),
  DATABASE_URL: z.preprocess(emptyAsUndefined, postgresUrl.optional()),
  DATABASE_RUNTIME_URL: z.preprocess(emptyAsUndefined, postgresUrl.optional()),
  DATABASE_RUNTIME_PASSWORD: z.preprocess(
    emptyAsUndefined,
    z.string().min(8, 'at least 8 characters').optional(),
  ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Memory for rendered public pages (app/server/render-cache.ts), in MiB; 0 turns the cache off. */
  RENDER_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(64),
  /** How long a request waits for a free pooled connection before it gets a 503 page. */
  DATABASE_POOL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  DATA_DIR: z.string().min(1).default('.data'),
  /**
   * Where uploaded files are kept (docs/decisions/011-stored-files-and-the-orphan-sweep.md): `disk`, under
   * DATA_DIR/uploads (one server), or `postgres`, in the database (several servers share them).
   */
  FILE_STORAGE: z.enum(FILE_STORAGE_KINDS, { message: 'disk or postgres' }).default('disk'),
  EMBEDDED_PG_PORT: port.default(54329),
  TENANTS_DIR: z.string().min(1).default('tenants'),
  /**
   * Where tenant files already validated by this build are kept between starts
   * (docs/decisions/012-validated-tenant-file-cache.md); empty: every start checks every file.
   */
  TENANT_CACHE_DIR: z.string().default('.cache/tenant-files'),
  SEED_DEMO: z
    .enum(['true', 'false'], { message: 'true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  SMTP_URL: z.preprocess(emptyAsUndefined, z.string().url('an smtp:// or smtps:// URL').optional()),
  MAIL_FROM: z.string().min(3).default('Komin Renkei Desk <no-reply@desk.invalid>'),
  /** The mail outbox page (/dev/mail): on by default outside production; in production only when set to true (demo). */
  MAIL_OUTBOX_PAGE: z.preprocess(
    emptyAsUndefined,
    z.enum(['true', 'false'], { message: 'true or false' }).optional(),
  ),
  /**
   * Whether this server process also works the job queue (mail, reminders, clean-up). On by default so
   * one process is a whole deployment; set to false where separate `pnpm worker` processes do it.
   */
  RUN_JOB_WORKER: z
    .enum(['true', 'false'], { message: 'true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  /**
   * How many server processes share the port, in production (node:cluster; `app/server/main.ts`): one
   * process renders on one core, so on a machine with cores to spare set it to the cores the database leaves
   * (no gain on two: docs/performance.md). 1 (the default): the process serves alone.
   */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** How often an idle worker polls for jobs, in seconds (default 2 in production, 0.5 elsewhere; at least 0.5). */
  JOB_POLL_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number().min(0.5).max(60).optional()),
  /** How often a worker fails over jobs whose attempt expired (their worker died), in seconds. */
  JOB_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
})

export type Env = Omit<z.infer<typeof envSchema>, 'APP_ORIGIN'> & { APP_ORIGIN: string }

export class EnvError extends Error {}

/**
 * Parses the environment once at boot. A wrong or missing value becomes one
 * line naming the variable and what is expected.
 */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source)
  const issues = result.success ? [] : result.error.issues
  if (result.success && !result.data.APP_ORIGIN && result.data.NODE_ENV === 'production')
    issues.push({
      code: 'custom',
      path: ['APP_ORIGIN'],
      message: `${APP_ORIGIN_EXPECTED} (required in production: links in e-mails and the origin check use it)`,
    })
  if (result.success && issues.length === 0)
    return { ...result.data, APP_ORIGIN: result.data.APP_ORIGIN ?? `http://localhost:${result.data.PORT}` }
  const lines = issues.map((issue) => {
    const name = issue.path.join('.')
    return `${name}: got ${JSON.stringify(source[name] ?? null)}, expected ${issue.message}`
  })
  throw new EnvError(`invalid environment: ${lines.join('; ')}`)
}
