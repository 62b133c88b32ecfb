import type { ScaleProgress } from './seed'

const WIDTH = 30
const fmt = (n: number) => Math.round(n).toLocaleString('en')

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '?'
  const m = Math.floor(s / 60)
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`
}

/**
 * A plain-text progress bar on stderr, redrawn in place with `\r` (at most
 * five times a second; every phase ends with a newline). No dependency.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (progress: ScaleProgress) => void {
  let phase = ''
  let phaseStarted = performance.now()
  let lastDraw = 0
  let lastLength = 0
  return (progress) => {
    const now = performance.now()
    if (progress.phase !== phase) {
      if (phase) stream.write('\n')
      phase = progress.phase
      phaseStarted = now
      lastDraw = 0
    }
    if (progress.phase === 'done') return
    const finished = progress.done >= progress.total
    if (!finished && now - lastDraw < 200) return
    lastDraw = now
    const ratio = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 1
    const filled = Math.round(ratio * WIDTH)
    const elapsed = (now - phaseStarted) / 1000
    const rate = elapsed > 0 ? progress.done / elapsed : 0
    const eta = rate > 0 ? (progress.total - progress.done) / rate : Infinity
    const unit =
      progress.phase === 'proposals' ? 'proposals' : progress.phase === 'platform' ? 'cities' : 'tables'
    let line =
      `${progress.phase.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ` +
      `${fmt(progress.done)}/${fmt(progress.total)} ${unit}`
    if (progress.phase === 'proposals')
      line += ` · ${fmt(progress.rows)} rows · ${fmt(rate)}/s · ${finished ? `${seconds(elapsed)}` : `ETA ${seconds(eta)}`}`
    else line += ` · ${seconds(elapsed)}`
    stream.write(`\r${line}${' '.repeat(Math.max(0, lastLength - line.length))}`)
    lastLength = line.length
  }
}
