import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/**
 * Load with wrk (Debian's, C, two threads): autocannon is a Node process on
 * the same two cores and capped any server near 7k req/s here (issue 19). A
 * generated Lua script rotates over the target's requests with its headers
 * (cookies), and for POSTs builds each body from a template file with a
 * unique key per request; `expectStatus` makes it count every status (and
 * keep the Location of each 302 for the correctness check), which costs wrk a
 * Lua call per response, so plain GET runs count wrk's own non-2xx/3xx.
 */
export type WrkTarget = {
  /** The server's origin, e.g. http://127.0.0.1:3131 */
  url: string
  requests: { method: 'GET' | 'POST'; path: string }[]
  headers?: Record<string, string>
  /** A POST body with `@@KEY@@` where each request's unique key goes. */
  bodyTemplate?: string
  /** Count every status and keep the Locations of 302s (the acknowledged submissions). */
  recordStatuses?: boolean
  /**
   * A query parameter given a new value in every request (`&NAME=…`), so
   * that no cache keyed by the address can answer: each request is a miss.
   */
  uniqueParameter?: string
}

export type WrkRun = {
  seconds: number
  requests: number
  /** By status when recordStatuses, else only `ok` (2xx/3xx) and `other`. */
  statuses: Record<string, number>
  errors: number
  /** Latency in ms of every response, as [value, count] (wrk's exact histogram, 1 µs resolution). */
  histogram: [number, number][]
  locations: string[]
}

const lua = (value: string) => JSON.stringify(value) // a JSON string is a valid Lua string literal here (no \u escapes used)

function script(target: WrkTarget, dir: string, templateFile: string | null): string {
  const headers = Object.entries(target.headers ?? {})
    .map(([name, value]) => `[${lua(name)}] = ${lua(value)}`)
    .join(', ')
  return `
local methods = { ${target.requests.map((request) => lua(request.method)).join(', ')} }
local paths = { ${target.requests.map((request) => lua(request.path)).join(', ')} }
local headers = { ${headers} }
local template_file = ${templateFile ? lua(templateFile) : 'nil'}
local record = ${target.recordStatuses ? 'true' : 'false'}
local unique_parameter = ${target.uniqueParameter ? lua(target.uniqueParameter) : 'nil'}
local run_id = ${lua(randomUUID().slice(0, 8))}
local out_prefix = ${lua(path.join(dir, 'locations-'))}
local threads = {}
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
local formatted = {}
local template = nil
local counter = 0
local out = nil
statuses = {}
function init(args)
  if template_file then
    local f = io.open(template_file, "rb")
    template = f:read("*a")
    f:close()
  end
  if record then
    out = io.open(out_prefix .. id, "w")
    out:setvbuf("line")
  end
  for i = 1, #paths do formatted[i] = wrk.format(methods[i], paths[i], headers) end
end
function request()
  counter = counter + 1
  local i = (counter - 1) % #paths + 1
  if template then
    local key = run_id .. "-" .. id .. "-" .. counter
    local body = template:gsub("@@KEY@@", key)
    return wrk.format(methods[i], paths[i], headers, body)
  end
  if unique_parameter then
    local separator = string.find(paths[i], "?", 1, true) and "&" or "?"
    return wrk.format(methods[i], paths[i] .. separator .. unique_parameter .. "=" .. run_id .. "-" .. id .. "-" .. counter, headers)
  end
  return formatted[i]
end
if record then
  function response(status, hdrs, body)
    statuses[status] = (statuses[status] or 0) + 1
    if status == 302 then
      local location = hdrs["Location"] or hdrs["location"]
      if location then out:write(location, "\\n") end
    end
  end
end
function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then for status, n in pairs(s) do counts[status] = (counts[status] or 0) + n end end
  end
  local parts = {}
  for status, n in pairs(counts) do table.insert(parts, string.format('"%d":%d', status, n)) end
  local histogram = {}
  for i = 1, #latency do
    local value, count = latency(i)
    table.insert(histogram, string.format("[%d,%d]", value, count))
  end
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration":%d,"errors":%d,"non2xx3xx":%d,"statuses":{%s},"histogram":[%s]}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    table.concat(parts, ","), table.concat(histogram, ",")))
end
`
}

export async function wrk(
  target: WrkTarget,
  options: { duration: number; connections: number; threads?: number },
): Promise<WrkRun> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'desk-wrk-'))
  try {
    const templateFile = target.bodyTemplate ? path.join(dir, 'body') : null
    if (templateFile) await writeFile(templateFile, target.bodyTemplate!)
    const scriptFile = path.join(dir, 'script.lua')
    await writeFile(scriptFile, script(target, dir, templateFile))
    const args = [
      `-t${options.threads ?? 2}`,
      `-c${options.connections}`,
      `-d${Math.max(1, Math.round(options.duration))}s`,
      '--timeout',
      '30s',
      '-s',
      scriptFile,
      target.url,
    ]
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`wrk exited with ${code}: ${stderr || stdout}`)),
      )
    })
    const line = output.split('\n').find((candidate) => candidate.startsWith('WRK_JSON '))
    if (!line) throw new Error(`wrk printed no summary:\n${output}`)
    const summary = JSON.parse(line.slice('WRK_JSON '.length)) as {
      requests: number
      duration: number
      errors: number
      non2xx3xx: number
      statuses: Record<string, number>
      histogram: [number, number][]
    }
    const locations: string[] = []
    for (const file of await readdir(dir))
      if (file.startsWith('locations-'))
        locations.push(...(await readFile(path.join(dir, file), 'utf8')).split('\n').filter(Boolean))
    return {
      seconds: summary.duration / 1e6,
      requests: summary.requests,
      statuses: target.recordStatuses
        ? summary.statuses
        : { ok: summary.requests - summary.non2xx3xx, other: summary.non2xx3xx },
      errors: summary.errors,
      histogram: summary.histogram.map(([micros, count]) => [micros / 1000, count]),
      locations,
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
