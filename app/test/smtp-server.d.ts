/** The part of smtp-server (no published types) the mail tests use. */
declare module 'smtp-server' {
  import type { Server } from 'node:net'
  import type { Readable } from 'node:stream'
  export class SMTPServer {
    constructor(options: {
      authOptional?: boolean
      disabledCommands?: string[]
      onData?: (
        stream: Readable,
        session: { envelope: { rcptTo: { address: string }[] } },
        callback: (error?: Error) => void,
      ) => void
    })
    listen(port: number, host: string, callback?: () => void): void
    close(callback?: () => void): void
    server: Server
  }
}
