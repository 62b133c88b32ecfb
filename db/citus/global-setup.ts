import type { TestProject } from 'vitest/node'
import { startCitusCluster } from './cluster'

/**
 * Vitest global setup of the Citus suite (db/citus/vitest.config.ts): builds
 * Citus if needed and starts the local cluster (.data/citus, left running for
 * the next run; `pnpm citus:down` stops it). Each test file makes its own
 * database on every node with `createCitusTestDatabase()`.
 */
export default async function setup(project: TestProject) {
  const cluster = await startCitusCluster()
  project.provide('citusCluster', JSON.stringify(cluster))
}

declare module 'vitest' {
  export interface ProvidedContext {
    citusCluster: string
  }
}
