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
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
process.once('SIGTERM', () =>
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0)),
)
