import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'

/**
 * The production server (`node build/server.js`, built by `pnpm build`) as a
 * child process the benchmark and the resilience suite can load, kill and
 * restart. Its output is kept for the failure message.
 */
export type AppProcess = {
  url: string
  pid: number
  child: ChildProcess
  output: () => string
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  exited: Promise<number | string>
  alive: () => boolean
  /** Resident set size in MB, from /proc. */
  rssMb: () => number
  stop: () => Promise<void>
}

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | null>((resolve) => {
      const server = net.createServer()
      server.once('error', () => resolve(null))
      server.listen(port, '127.0.0.1', () => {
        const address = server.address()
        server.close(() => resolve(typeof address === 'object' && address ? address.port : null))
      })
    })
  if (preferred) {
    const port = await tryPort(preferred)
    if (port) return port
  }
  const port = await tryPort(0)
  if (!port) throw new Error('no free port')
  return port
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    return NaN
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100

/** The live descendants of a process, from /proc (a server's cluster processes: WEB_CONCURRENCY). */
export function descendantsOf(pid: number): number[] {
  let children: number[] = []
  try {
    for (const task of readdirSync(`/proc/${pid}/task`))
      children = children.concat(
        readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
      )
  } catch {
    return []
  }
  return children.flatMap((child) => [child, ...descendantsOf(child)])
}

export function rssMbOf(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

export async function startApp(options: {
  port: number
  env: Record<string, string>
  /** How long to wait for /healthz (ms). */
  timeoutMs?: number
  /** Flags for node itself (e.g. --cpu-prof), before the script. */
  nodeArgs?: string[]
  /** The checkout whose build/ is served (default: the current directory). */
  cwd?: string
}): Promise<AppProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'build/server.js'], {
    cwd: options.cwd,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(options.port),
      APP_ORIGIN: `http://127.0.0.1:${options.port}`,
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  let exitedWith: number | string | null = null
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = code ?? signal ?? 'unknown'
      resolve(exitedWith)
    }),
  )
  const url = `http://127.0.0.1:${options.port}`
  const deadline = Date.now() + (options.timeoutMs ?? 90_000)
  for (;;) {
    if (exitedWith !== null)
      throw new Error(`the server exited (${exitedWith}) before it was ready:\n${output}`)
    try {
      const response = await fetch(`${url}/healthz`)
      if (response.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the server did not become ready within ${options.timeoutMs ?? 90_000} ms:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return {
    url,
    pid: child.pid!,
    child,
    output: () => output,
    exited,
    alive: () => exitedWith === null,
    rssMb: () => rssMbOf(child.pid!),
    stop: async () => {
      if (exitedWith !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** Signs in through the sign-in form and returns the Cookie header of the session. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: url },
    body: new URLSearchParams({ email, password }),
  })
  const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]!)
  const session = cookies.find((cookie) => /session=[^;]+/.test(cookie) && !/session=$/.test(cookie))
  if (response.status !== 302 || !session)
    throw new Error(`sign-in as ${email} failed: ${response.status} ${await response.text().catch(() => '')}`)
  return session
}
