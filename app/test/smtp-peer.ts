import type { AddressInfo } from 'node:net'
import net from 'node:net'
import { SMTPServer } from 'smtp-server'

/** One message as the SMTP peer accepted it. */
export type AcceptedMessage = { messageId: string; to: string[]; raw: string; at: number }

/**
 * A real SMTP server for delivery tests: it can be slow (each message is
 * accepted `delayMs` after its data arrives), started on a fixed port after
 * being down, and counts what it accepted by Message-ID.
 */
export function smtpPeer(options: { delayMs?: number } = {}) {
  const accepted: AcceptedMessage[] = []
  let delayMs = options.delayMs ?? 0
  let onDataStarted: () => void = () => {}
  let onDataReceived: () => void = () => {}
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      onDataStarted()
      let raw = ''
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      stream.on('end', () => {
        onDataReceived()
        setTimeout(() => {
          const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? ''
          accepted.push({ messageId, to: session.envelope.rcptTo.map((r) => r.address), raw, at: Date.now() })
          callback()
        }, delayMs)
      })
    },
  })
  return {
    accepted,
    setDelay(ms: number) {
      delayMs = ms
    },
    /** Called when a message's data starts arriving (before it is accepted). */
    onData(listener: () => void) {
      onDataStarted = listener
    },
    /** Called when a message's data has all arrived, while it is held (`delayMs`) before the peer accepts it. */
    onReceived(listener: () => void) {
      onDataReceived = listener
    },
    listen(port = 0): Promise<number> {
      return new Promise((resolve) =>
        server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)),
      )
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()))
    },
    /** How many copies of each Message-ID arrived. */
    copies(): Map<string, number> {
      const counts = new Map<string, number>()
      for (const message of accepted) counts.set(message.messageId, (counts.get(message.messageId) ?? 0) + 1)
      return counts
    },
  }
}

/** A port nothing listens on (yet): taken from the OS and released. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
}
