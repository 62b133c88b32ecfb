import { randomBytes } from 'node:crypto'
import postgres from 'postgres'
import { expect, inject, it } from 'vitest'
import { OWNER_ROLE, RUNTIME_ROLE } from '../roles'
import { ensureRolesOnEveryNode, nodeUrl, type CitusCluster } from './cluster'

const cluster = JSON.parse(inject('citusCluster')) as CitusCluster

type RoleRow = {
  node: string
  name: string
  login: boolean
  inherit: boolean
  superuser: boolean
  bypassRls: boolean
}

async function rolesOnEachNode(names: string[]): Promise<RoleRow[]> {
  const rows: RoleRow[] = []
  for (const node of cluster.nodes) {
    const server = postgres(nodeUrl(node.port, 'postgres'), { max: 1, onnotice: () => {} })
    try {
      for (const row of await server<Omit<RoleRow, 'node'>[]>`
        SELECT rolname AS name, rolcanlogin AS login, rolinherit AS inherit, rolsuper AS superuser,
               rolbypassrls AS "bypassRls"
          FROM pg_roles WHERE rolname IN ${server(names)} ORDER BY rolname`)
        rows.push({ node: node.name, ...row })
    } finally {
      await server.end()
    }
  }
  return rows
}

it('every node has both roles as the product needs them: the owner logs in, the runtime role can do nothing else', async () => {
  const rows = await rolesOnEachNode([OWNER_ROLE, RUNTIME_ROLE])
  expect(rows).toEqual(
    cluster.nodes.flatMap(({ name: node }) => [
      { node, name: RUNTIME_ROLE, login: true, inherit: false, superuser: false, bypassRls: false },
      { node, name: OWNER_ROLE, login: true, inherit: true, superuser: false, bypassRls: false },
    ]),
  )
})

it('makes a role a worker lacks, as the coordinator has it (a cluster kept between runs once lost one)', async () => {
  const probe = `desk_probe_${randomBytes(4).toString('hex')}`
  const coordinator = postgres(nodeUrl(cluster.coordinatorPort, 'postgres'), { max: 1, onnotice: () => {} })
  try {
    // On the coordinator's `postgres` database (no Citus extension): nothing is forwarded to the workers.
    await coordinator.unsafe(`CREATE ROLE ${probe} LOGIN NOINHERIT`)
    expect((await rolesOnEachNode([probe])).map((row) => row.node)).toEqual(['coordinator'])

    await ensureRolesOnEveryNode(cluster, [{ name: probe, options: 'LOGIN NOINHERIT' }])
    expect(await rolesOnEachNode([probe])).toEqual(
      cluster.nodes.map(({ name: node }) => ({
        node,
        name: probe,
        login: true,
        inherit: false,
        superuser: false,
        bypassRls: false,
      })),
    )
  } finally {
    await coordinator.end()
    for (const node of cluster.nodes) {
      const server = postgres(nodeUrl(node.port, 'postgres'), { max: 1, onnotice: () => {} })
      await server.unsafe(`DROP ROLE IF EXISTS ${probe}`).finally(() => server.end())
    }
  }
})
