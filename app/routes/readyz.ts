import { json, type LoaderFunctionArgs } from '@remix-run/node'

/** Readiness: database reachable, migrations current, tenant files loaded. */
export async function loader({ context }: LoaderFunctionArgs) {
  const { ready, checks } = await context.readiness()
  const failing = Object.entries(checks).filter(([, check]) => !check.ok)
  if (failing.length > 0) context.log.warn({ checks: Object.fromEntries(failing) }, 'not ready')
  // Details stay in the log: the public answer names the checks only.
  const summary = Object.fromEntries(Object.entries(checks).map(([name, check]) => [name, check.ok]))
  return json({ status: ready ? 'ready' : 'not ready', checks: summary }, { status: ready ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
}
