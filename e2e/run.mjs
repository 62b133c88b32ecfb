// Builds the production server and runs the Playwright suite against it in
// Debian's Chromium. Without /usr/bin/chromium the suite cannot run: on CI that
// is a failure, on a developer's machine it is said plainly and skipped.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM = '/usr/bin/chromium'

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}

if (!existsSync(CHROMIUM)) {
  const message = `${CHROMIUM} not found: install it with \`apt-get install -y chromium\` to run the browser tests`
  if (process.env.CI === 'true') {
    console.error(`error: ${message}`)
    process.exit(1)
  }
  console.warn(`e2e skipped: ${message}`)
  process.exit(0)
}

if (process.env.E2E_SKIP_BUILD !== 'true') run('pnpm', ['build'])
// `pnpm test:e2e -- auth` passes a literal "--" first; Playwright would read every later flag as a file filter.
const extraArgs = process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === '--'))
run('pnpm', ['exec', 'playwright', 'test', '-c', 'e2e/playwright.config.ts', ...extraArgs])
// The resilience suite (issue 11) on the same build, with its own embedded PostgreSQL; not when a subset was asked for.
if (extraArgs.length === 0) run('pnpm', ['exec', 'vitest', 'run', '-c', 'e2e/resilience/vitest.config.ts'])
