/**
 * Stops the process once on SIGTERM or SIGINT: `stop` closes what it opened, then the process exits with 0.
 * A second signal while stopping is ignored.
 */
export function exitOnSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    await stop(signal)
    process.exit(0)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}
