/**
 * Where a server's CPU went, from the V8 CPU profiles `pnpm bench --cpu-prof DIR` writes
 * (.cpuprofile, one per process):
 *
 *   pnpm exec tsx e2e/bench/profile-summary.ts DIR_OR_FILE... [--top 40] [--after-seconds 0 | --last-seconds 15]
 *                                              [--inclusive NAME,...] [--package NAME]
 *
 * Self time by function (name, file, line) and by package (node_modules/<package>, the app's
 * bundle, node's internals, GC, idle), and inclusive time of the functions named by --inclusive
 * (e.g. `loader,handleDocumentRequest,renderToString`): the share of busy samples that have
 * the function anywhere on their stack (synchronous stacks only: an await starts a new one). Shares are of
 * busy time (idle and "(program)" left out); only samples after the first + --after-seconds, or in the
 * profile's last --last-seconds, count (leave out start-up and warm-up: `pnpm bench` stops the server
 * right after the measured run). --package: the top functions of that package only (e.g. '(native)').
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number }
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] }
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number }

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '40' },
    'after-seconds': { type: 'string', default: '0' },
    'last-seconds': { type: 'string' },
    package: { type: 'string' },
    inclusive: { type: 'string', default: '' },
  },
})

const files = positionals.flatMap((entry) =>
  statSync(entry).isDirectory()
    ? readdirSync(entry)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => path.join(entry, name))
    : [entry],
)
if (files.length === 0) {
  console.error(
    'usage: profile-summary.ts DIR_OR_FILE... [--top 40] [--after-seconds 0] [--inclusive NAME,...]',
  )
  process.exit(2)
}

/** The package a script belongs to: node_modules/<name> (scoped too), node's own, or the app's files. */
function packageOf(url: string): string {
  if (!url) return '(native)'
  if (url.startsWith('node:')) return 'node:internal'
  const modules = url.lastIndexOf('node_modules/')
  if (modules >= 0) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/')
    return first!.startsWith('@') ? `${first}/${second}` : first!
  }
  return path.basename(url.replace(/^file:\/\//, ''))
}

const IDLE = new Set(['(idle)', '(program)'])
const selfByFunction = new Map<string, number>()
const selfByPackage = new Map<string, number>()
const selfInPackage = new Map<string, number>()
const inclusiveNames = args.inclusive ? args.inclusive.split(',') : []
const inclusive = new Map<string, number>(inclusiveNames.map((name) => [name, 0]))
let busy = 0

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  /** The functions on each node's stack, for inclusive time (computed once per node). */
  const stackNames = new Map<number, Set<string>>()
  const namesOnStack = (id: number): Set<string> => {
    const known = stackNames.get(id)
    if (known) return known
    const up = parent.get(id)
    const names = new Set(up === undefined ? [] : namesOnStack(up))
    names.add(byId.get(id)!.callFrame.functionName)
    stackNames.set(id, names)
    return names
  }
  const end = profile.startTime + profile.timeDeltas.reduce((sum, delta) => sum + delta, 0)
  const from =
    args['last-seconds'] !== undefined
      ? end - profile.startTime - Number(args['last-seconds']) * 1e6
      : Number(args['after-seconds']) * 1e6
  let time = profile.startTime
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0
    time += delta
    if (time - profile.startTime < from) return
    const { callFrame } = byId.get(id)!
    if (IDLE.has(callFrame.functionName)) return
    busy += delta
    const where = callFrame.url ? `${packageOf(callFrame.url)}:${callFrame.lineNumber + 1}` : ''
    const key = `${callFrame.functionName || '(anonymous)'} ${where}`
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + delta)
    const pkg = callFrame.functionName === '(garbage collector)' ? '(GC)' : packageOf(callFrame.url)
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + delta)
    if (args.package === pkg) selfInPackage.set(key, (selfInPackage.get(key) ?? 0) + delta)
    if (inclusive.size > 0) {
      const names = namesOnStack(id)
      for (const name of inclusiveNames)
        if (names.has(name)) inclusive.set(name, inclusive.get(name)! + delta)
    }
  })
}

const share = (micros: number) => `${((100 * micros) / busy).toFixed(1).padStart(5)} %`
const ms = (micros: number) => `${(micros / 1000).toFixed(0).padStart(7)} ms`
const top = (map: Map<string, number>, count: number) =>
  [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)

console.log(`${files.length} profile(s), busy ${(busy / 1e6).toFixed(2)} s\n\nself time by function:`)
for (const [key, micros] of top(selfByFunction, Number(args.top)))
  console.log(`${share(micros)} ${ms(micros)}  ${key}`)
console.log('\nself time by package:')
for (const [key, micros] of top(selfByPackage, 30)) console.log(`${share(micros)} ${ms(micros)}  ${key}`)
if (args.package) {
  console.log(`\nself time in ${args.package}:`)
  for (const [key, micros] of top(selfInPackage, Number(args.top)))
    console.log(`${share(micros)} ${ms(micros)}  ${key}`)
}
if (inclusive.size > 0) {
  console.log('\ninclusive time:')
  for (const [name, micros] of inclusive) console.log(`${share(micros)} ${ms(micros)}  ${name}`)
}
