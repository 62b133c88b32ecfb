import {
  createCitusDatabase,
  nodeUrl,
  runningCitusCluster,
  startCitusCluster,
  stopCitusCluster,
} from '../db/citus/cluster'
import { runCli } from './run-cli'

/**
 * `pnpm citus:up [database]`: builds Citus if needed, starts a coordinator and
 * two workers under .data/citus and prepares `database` (default `desk`) on
 * all three; prints its DATABASE_URL. `pnpm citus:down [--purge]` stops them
 * (and removes .data/citus). `pnpm citus:status` prints the nodes.
 */
await runCli(async () => {
  const [command, argument] = process.argv.slice(2)
  if (command === 'up') {
    const database = argument ?? 'desk'
    const cluster = await startCitusCluster()
    const url = await createCitusDatabase(cluster, database)
    for (const node of cluster.nodes)
      console.log(`${node.name.padEnd(11)} 127.0.0.1:${node.port}  ${node.dataDir}`)
    console.log(`DATABASE_URL=${url}`)
  } else if (command === 'down') {
    if (argument !== undefined && argument !== '--purge') throw new Error('usage: pnpm citus:down [--purge]')
    stopCitusCluster({ purge: argument === '--purge' })
    console.log(argument === '--purge' ? 'citus cluster stopped and removed' : 'citus cluster stopped')
  } else if (command === 'status') {
    const cluster = runningCitusCluster()
    for (const node of cluster.nodes) console.log(`${node.name.padEnd(11)} ${nodeUrl(node.port, 'postgres')}`)
  } else {
    throw new Error('usage: pnpm citus:up [database] | citus:down [--purge] | citus:status')
  }
})
