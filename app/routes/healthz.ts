import { json } from '@remix-run/node'

/** Liveness: the process is up and serving. */
export function loader() {
  return json({ status: 'ok' }, { headers: { 'Cache-Control': 'no-store' } })
}
