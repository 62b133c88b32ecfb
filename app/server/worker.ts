/**
 * `pnpm worker`: a process that only works the job queue (mail, reminders,
 * clean-up), for deployments that run app servers with RUN_JOB_WORKER=false.
 * Same environment as the server; any number may run against one database.
 */
import { bootstrapDatabase, DatabaseStartError } from '../../db/bootstrap'
import { EnvError, parseEnv } from '../utils/env.server'
import { createLogger } from '../utils/logger.server'
import { createAppServices } from './services'
import { exitOnSignals } from './shutdown'

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`)
  process.exit(1)
}

async function start() {
  const env = parseEnv()
  const logger = createLogger(env.LOG_LEVEL)
  const database = await bootstrapDatabase(env, (line) => logger.debug({ embeddedPostgres: line }))
  const services = await createAppServices({ env, logger, database, runJobWorker: true })
  logger.info({ pid: process.pid }, 'job worker started')
  exitOnSignals(async (signal) => {
    logger.info({ signal }, 'job worker stopping')
    await services.close()
    await database.stop()
  })
}

try {
  await start()
} catch (error) {
  if (error instanceof EnvError || error instanceof DatabaseStartError) fail(error.message)
  fail(`worker start-up failed: ${error instanceof Error ? error.message : String(error)}`)
}
