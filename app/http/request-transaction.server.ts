import type { AppLoadContext } from '@remix-run/node'
import { withTenant, type TenantContext, type TenantTx } from '../../db/tenant-context'

/**
 * One tenant transaction for a page's loaders. Remix runs the loaders of a
 * page's routes at once (the desk layout's counts and the page's own data);
 * each calling `withTenant` would open a transaction of its own. Loaders that
 * read as the same actor in the same city within one request join one
 * transaction here instead: the first opens it, the others' reads run in it
 * (postgres.js pipelines them on the reserved connection), and it commits when
 * the last of them has finished. A loader that comes after the commit simply
 * opens a new one, so joining is an optimisation, never a condition of being
 * correct.
 *
 * For reads only (loaders of GET and HEAD requests): a loader's error goes to
 * that loader alone and the others' work still commits, which is right for
 * reads and their audit records but not for an action's writes — actions use
 * `withTenant` directly.
 *
 * `memo` lets the joined loaders share a statement's answer (the membership
 * check) instead of sending it once per loader.
 */
type Batch = {
  ready: Promise<TenantTx>
  /** Settles when the transaction has committed (or failed). */
  committed: Promise<void>
  running: number
  closed: boolean
  finish: () => void
  memos: Map<string, Promise<unknown>>
}

const batches = new WeakMap<AppLoadContext, Map<string, Batch>>()

export type SharedTx = { tx: TenantTx; memo: <T>(key: string, read: () => PromiseLike<T>) => Promise<T> }

function keyOf(context: TenantContext): string {
  return `${context.actor}|${context.tenantId ?? ''}|${context.userId ?? ''}`
}

function openBatch(db: AppLoadContext['db'], tenantContext: TenantContext): Batch {
  let finish = () => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  let provide: (tx: TenantTx) => void = () => {}
  let refuse: (error: unknown) => void = () => {}
  const ready = new Promise<TenantTx>((resolve, reject) => {
    provide = resolve
    refuse = reject
  })
  // A failed reservation or transaction before `fn` ran reaches every joiner through `ready`.
  const committed = withTenant(db, tenantContext, async (tx) => {
    provide(tx)
    await finished
  })
  committed.catch(refuse)
  ready.catch(() => {})
  return { ready, committed, running: 0, closed: false, finish, memos: new Map() }
}

export async function inRequestTransaction<T>(
  context: AppLoadContext,
  request: Request | undefined,
  tenantContext: TenantContext,
  fn: (shared: SharedTx) => Promise<T>,
): Promise<T> {
  const method = request?.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') {
    const memos = new Map<string, Promise<unknown>>()
    return withTenant(context.db, tenantContext, (tx) => fn({ tx, memo: memoIn(memos) }))
  }
  let open = batches.get(context)
  if (!open) batches.set(context, (open = new Map()))
  const key = keyOf(tenantContext)
  let batch = open.get(key)
  if (!batch || batch.closed) open.set(key, (batch = openBatch(context.db, tenantContext)))
  const joined = batch
  joined.running += 1
  let result: T
  try {
    const tx = await joined.ready
    result = await fn({ tx, memo: memoIn(joined.memos) })
  } finally {
    joined.running -= 1
    if (joined.running === 0) {
      joined.closed = true
      joined.finish()
    }
  }
  // What a loader read (and the audit record of reading it) is answered only once it is committed.
  await joined.committed
  return result
}

/**
 * The first loader's read, shared by the others. What is kept is a promise of its answer, not what `read`
 * returned: a drizzle query is a thenable that runs its statement again each time it is awaited, so keeping
 * the query itself sent the membership's statement once per loader (the desk layout's and the page's).
 */
function memoIn(memos: Map<string, Promise<unknown>>) {
  return <T>(key: string, read: () => PromiseLike<T>): Promise<T> => {
    let answer = memos.get(key) as Promise<T> | undefined
    if (!answer) memos.set(key, (answer = Promise.resolve(read())))
    return answer
  }
}
