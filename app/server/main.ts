/**
 * The HTTP server: parses the environment, brings up the database (external or
 * embedded), loads the tenant files, then serves the Remix build with Express.
 * Every start-up failure is one line on stderr and exit code 1.
 */
import cluster from 'node:cluster'
import { existsSync, readdirSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { randomUUID } from 'node:crypto'
import { sendRemixResponse } from '@remix-run/express/dist/server.js'
import type { AppLoadContext } from '@remix-run/node'
import {
  broadcastDevReady,
  createRequestHandler as createFetchHandler,
  type ServerBuild,
} from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { bootstrapDatabase, DatabaseStartError } from '../../db/bootstrap'
import { EnvError, parseEnv, type Env } from '../utils/env.server'
import { createLogger, type Logger } from '../utils/logger.server'
import { createNonce, securityHeaders } from '../utils/security-headers.server'
import { createOwnerSql } from '../../db/owner'
import { seedDemo } from '../../db/seed/demo'
import { seedTenantFromConfig } from '../../db/seed/tenants'
import type { RegisteredTenant } from '../utils/tenant-registry.server'
import { createAppServices, type AppServices } from './services'
import { exitOnSignals } from './shutdown'
import { canonicalHost, originCheck, sessionMiddleware } from './auth-middleware'
import { platformContentStamp } from '../operations/across-cities/across-cities.server'
import { platformContentVersion, publishedContent } from '../operations/portal/published-content.server'
import { RenderCache } from './render-cache'
import { renderCacheMiddleware } from './render-cache-middleware'
import { renderCacheFastPath } from './render-cache-fast-path'
import { PLATFORM_LIST_SCOPES, renderCacheScopes } from './render-cache-scopes'
import { errorPages, rootLinksOf } from './error-pages'
import { remixRequest, requestGuard } from './request-guard'

/** How long an idle keep-alive connection stays open: longer than the usual proxy idle timeout (60 s). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000

const BUILD_PATH = path.resolve('build/index.js')

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
}

function ensurePortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `PORT: port ${port} is already in use on ${host}; stop the other server or set PORT to a free port`
            : `PORT: cannot listen on ${host}:${port}: ${error.message}`,
        ),
      ),
    )
    probe.once('listening', () => probe.close(() => resolve()))
    probe.listen(port, host)
  })
}

async function importBuild(): Promise<ServerBuild> {
  // The query string defeats the module cache so development rebuilds are picked up.
  return import(`${pathToFileURL(BUILD_PATH).href}?t=${Date.now()}`)
}

/**
 * The request id, and the access log: a line per request at debug level
 * (LOG_LEVEL=debug), a server error's at warn. At info a line per request was
 * 7.5 MB of log for 10 s of a cached page under load and 2 % of the CPU
 * (docs/performance.md); errors are logged where they happen (errorPages).
 */
function requestLogging(logger: Logger, services: AppServices): express.RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint()
    const requestId = (req.get('x-request-id') ?? '').slice(0, 64) || randomUUID()
    res.locals.requestId = requestId
    res.setHeader('X-Request-Id', requestId)
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'warn' : 'debug'
      if (!logger.isLevelEnabled(level)) return
      const citySlug = req.path.split('/')[1] ?? ''
      logger[level]({
        requestId,
        city: services.tenants.has(citySlug) ? citySlug : undefined,
        userId: res.locals.userId,
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      })
    })
    next()
  }
}

/** The demo cities, staff, businesses and proposals: seeded on the first start only. */
async function seedDemoOnFirstStart(adminUrl: string, tenants: RegisteredTenant[], logger: Logger) {
  const owner = createOwnerSql(adminUrl)
  try {
    const result = await seedDemo(owner, {
      tenants: tenants.map(({ file, config, version }) =>
        seedTenantFromConfig({ file, config, contentVersion: version }),
      ),
    })
    if (result.seeded)
      logger.info({ cities: tenants.length, accounts: result.accounts.length }, 'demo data seeded')
  } finally {
    await owner.end()
  }
}

/**
 * `express.static` for the files of `root`, asked only about paths under one of
 * root's own entries: otherwise it stats the disk for every page request (14 %
 * of the server's CPU time on a cached public page, docs/performance.md).
 */
function publicFiles(root: string, options: Parameters<typeof express.static>[1]): express.RequestHandler {
  const serve = express.static(root, options)
  const entries = new Set(existsSync(root) ? readdirSync(root) : [])
  return (req, res, next) => (entries.has(req.path.split('/')[1] ?? '') ? serve(req, res, next) : next())
}

async function start(env: Env) {
  const logger = createLogger(env.LOG_LEVEL)
  // A server process of a primary (startPrimary) shares the port the primary checked.
  if (cluster.isPrimary) await ensurePortFree(env.HOST, env.PORT)
  const database = await bootstrapDatabase(env, (line) => logger.debug({ embeddedPostgres: line }))
  logger.info(
    { embedded: database.embedded, migrationsApplied: database.migrationsApplied },
    'database ready',
  )
  const services = await createAppServices({ env, logger, database })
  if (env.SEED_DEMO) await seedDemoOnFirstStart(database.adminUrl, services.tenants.list(), logger)

  let build = await importBuild()
  // Set by `remix dev`, which rebuilds and waits for our "ready" after each build.
  const devServerAttached = Boolean(process.env.REMIX_DEV_ORIGIN)
  const app = express()
  app.disable('x-powered-by')
  app.use(compression())
  app.use(requestLogging(logger, services))
  app.use((_req, res, next) => {
    res.locals.cspNonce = createNonce()
    res.set(headersFor(res.locals.cspNonce))
    next()
  })
  app.use(requestGuard())
  app.use('/build', express.static('public/build', { immutable: true, maxAge: '1y' }))
  app.use(publicFiles('public', { maxAge: '1h' }))
  app.use(originCheck({ appOrigin: env.APP_ORIGIN }))
  app.use(canonicalHost({ appOrigin: env.APP_ORIGIN }))
  app.use(sessionMiddleware(services.auth))
  // @remix-run/express's handler, with the request the guard checked (remixRequest).
  const makeHandler = (serverBuild: ServerBuild): express.RequestHandler => {
    const handle = createFetchHandler(serverBuild, env.NODE_ENV)
    return async (req, res, next) => {
      try {
        await sendRemixResponse(
          res,
          await handle(remixRequest(req, res), services.loadContextFor(res.locals)),
        )
      } catch (error) {
        next(error)
      }
    }
  }
  let handleRequest = makeHandler(build)
  let renderDocument = createFetchHandler(build, env.NODE_ENV)
  const renderCache = env.RENDER_CACHE_MB > 0 ? new RenderCache(env.RENDER_CACHE_MB * 1024 * 1024) : null
  const headersFor = (nonce: string) =>
    securityHeaders({
      nonce,
      production: env.NODE_ENV === 'production',
      devSocketPort: process.env.REMIX_DEV_ORIGIN ? 3001 : undefined,
    })
  /** A city's published-content version, or for the cross-city lists every live city's. */
  const contentVersionOf = async (scope: string, context: AppLoadContext) =>
    PLATFORM_LIST_SCOPES.has(scope)
      ? platformContentVersion(() => platformContentStamp(context.db))
      : (await publishedContent(context, scope)).version
  if (renderCache) {
    app.use(
      renderCacheMiddleware({
        cache: renderCache,
        tenants: renderCacheScopes(services.tenants),
        buildVersion: () => build.assets.version,
        contentVersion: async (slug, res) => contentVersionOf(slug, services.loadContextFor(res.locals)),
        render: (request, res, nonce) =>
          renderDocument(request, services.loadContextFor({ ...res.locals, cspNonce: nonce })),
      }),
    )
  }
  app.all('*', (req, res, next) => handleRequest(req, res, next))
  app.use(errorPages(logger, { documentLinks: () => rootLinksOf(build) }))

  // A render-cache hit for an anonymous visitor is answered before Express (render-cache-fast-path.ts).
  const publishedContentContext = services.loadContextFor({ requestId: 'render-cache' })
  const fastPath =
    renderCache &&
    renderCacheFastPath({
      cache: renderCache,
      tenants: renderCacheScopes(services.tenants),
      buildVersion: () => build.assets.version,
      contentVersion: async (slug) => contentVersionOf(slug, publishedContentContext),
      sessionCookieName: services.auth.cookieName,
      securityHeaders: headersFor,
      createNonce,
      logAnswered: logger.isLevelEnabled('debug') ? (line) => logger.debug(line) : undefined,
    })
  const server = http.createServer((req, res) => {
    if (!fastPath) return void app(req, res)
    fastPath(req, res).then(
      (answered) => answered || app(req, res),
      () => app(req, res),
    )
  })
  // An idle keep-alive connection is closed only after any client or proxy in front would have let it go. Node's
  // 5 s closed it while clients that keep pooled connections without a time limit (Playwright's request context,
  // many HTTP libraries and proxies; they ignore the Keep-Alive: timeout hint) reused it: that request, a POST
  // too, failed with ECONNRESET (socket hang up) and cannot safely be retried. headersTimeout must exceed it.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000
  server.listen(env.PORT, env.HOST, () => {
    logger.info({ url: `http://localhost:${env.PORT}` }, 'listening')
    process.send?.(LISTENING)
    if (devServerAttached) void broadcastDevReady(build)
  })
  server.on('error', (error) => fail(`PORT: ${error.message}`))

  if (devServerAttached) {
    const chokidar = await import('chokidar')
    chokidar.watch(path.resolve('build/version.txt'), { ignoreInitial: true }).on('all', async () => {
      build = await importBuild()
      handleRequest = makeHandler(build)
      renderDocument = createFetchHandler(build, env.NODE_ENV)
      void broadcastDevReady(build)
    })
  }

  exitOnSignals(async (signal) => {
    logger.info({ signal }, 'shutting down')
    server.close()
    await services.close()
    await database.stop()
  })
}

/** What a server process tells its primary once it listens. */
const LISTENING = 'desk:listening'

/**
 * WEB_CONCURRENCY server processes on one port (node:cluster), so that a machine's every core serves
 * requests: one Node process renders on one core, and a desk page costs more server CPU than database CPU
 * (docs/performance.md). The primary checks the port, brings the database up once (the embedded one
 * started, the migrations applied) and passes it on; the first process seeds the demo and works the job
 * queue as the only process would, the others serve; they start once it listens. A process that dies is
 * replaced (again every 5 s while its replacement fails to start); one that fails before it first
 * listened fails the start. SIGTERM or SIGINT stops the processes, then the database.
 */
async function startPrimary(env: Env) {
  const logger = createLogger(env.LOG_LEVEL)
  await ensurePortFree(env.HOST, env.PORT)
  const database = await bootstrapDatabase(env, (line) => logger.debug({ embeddedPostgres: line }))
  logger.info(
    { embedded: database.embedded, migrationsApplied: database.migrationsApplied, processes: env.WEB_CONCURRENCY },
    'database ready',
  )
  let stopping = false
  const fork = (index: number): Promise<void> => {
    const worker = cluster.fork({
      DATABASE_URL: database.adminUrl,
      DATABASE_RUNTIME_URL: database.runtimeUrl,
      SEED_DEMO: String(env.SEED_DEMO && index === 0),
      RUN_JOB_WORKER: String(env.RUN_JOB_WORKER && index === 0),
    })
    return new Promise((resolve, reject) => {
      let listening = false
      worker.on('message', (message) => {
        if (message !== LISTENING) return
        listening = true
        resolve()
      })
      worker.on('exit', (code, signal) => {
        if (stopping) return
        if (!listening) return reject(new Error(`server process ${index + 1} stopped before it listened`))
        logger.error({ process: index + 1, code, signal }, 'server process stopped; starting another')
        replace(index)
      })
    })
  }
  const replace = (index: number) =>
    void fork(index).catch((error: unknown) => {
      logger.error({ err: error }, 'server process did not start; trying again in 5 s')
      setTimeout(() => stopping || replace(index), 5_000).unref()
    })
  const stop = async () => {
    stopping = true
    const running = Object.values(cluster.workers ?? {}).filter((worker) => worker && !worker.isDead())
    await Promise.all(
      running.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker!.once('exit', () => resolve())
            worker!.process.kill('SIGTERM')
          }),
      ),
    )
    await database.stop()
  }
  exitOnSignals(async (signal) => {
    logger.info({ signal }, 'shutting down')
    await stop()
  })
  try {
    // The first process seeds the demo before it listens, as a lone server does: nothing is served before that.
    await fork(0)
    await Promise.all(Array.from({ length: env.WEB_CONCURRENCY - 1 }, (_, index) => fork(index + 1)))
  } catch (error) {
    await stop()
    throw error
  }
}

try {
  const env = parseEnv()
  if (cluster.isPrimary && env.WEB_CONCURRENCY > 1 && env.NODE_ENV === 'production') await startPrimary(env)
  else await start(env)
} catch (error) {
  if (error instanceof EnvError || error instanceof DatabaseStartError) fail(error.message)
  if (error instanceof Error && /^PORT: /.test(error.message)) fail(error.message)
  process.stderr.write(`error: start-up failed: ${error instanceof Error ? error.message : String(error)}\n`)
  if (process.env.DEBUG) console.error(error)
  process.exit(1)
}
