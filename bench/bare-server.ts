// The baselines: bare Fastify and pg, no auth, no logging. A read is one indexed select; a write is
// one single-row update, committed: the least a till's redemption could ever cost.
import Fastify from 'fastify'
import pg from 'pg'

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 })
const app = Fastify({ logger: false })
app.get('/healthz', async () => ({ status: 'ok' }))
app.get<{ Params: { id: string } }>('/members/:id', async (request) => {
  const { rows } = await pool.query('select id, given_name, family_name, joined_at from members where id = $1', [request.params.id])
  return rows[0]
})
app.post<{ Params: { id: string } }>('/members/:id/holds', async (request) => {
  const { rows } = await pool.query('update points_balances set available = available - 1, reserved = reserved + 1 where member_id = $1 returning available', [
    request.params.id,
  ])
  return rows[0]
})
// The ideas benchmark's floors: a vote can cost no less than one committed single-row update of an
// idea's support, and the board no less than one indexed read of the top ideas.
app.post<{ Params: { id: string } }>('/ideas/:id/support', async (request) => {
  const { rows } = await pool.query('update ideas set support = support + 100, voters = voters + 1 where id = $1 returning support', [request.params.id])
  return rows[0]
})
app.get('/ideas/board', async () => {
  const { rows } = await pool.query(
    "select id, title, status, support, voters from ideas where not hidden and status <> 'merged' order by support desc, id desc limit 21",
  )
  return { ideas: rows }
})
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.once('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
)
