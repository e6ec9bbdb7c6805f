/**
 * One server node for the several-processes jobs test: `regulars serve` on DATABASE_URL, driven over
 * stdin so the test decides when the schedules are checked ("tick <ISO time>") and when it stops ("stop").
 */
import { createInterface } from 'node:readline'
import { loadConfig } from '../../src/platform/config.js'
import { startServer } from '../../src/server.js'

const config = { ...loadConfig(process.env, { port: 0, host: '127.0.0.1', demo: false }), logLevel: 'silent' }
const server = await startServer(config, { logger: false })
process.stdout.write(`ready ${server.url}\n`)

for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.split(' ')
  if (command === 'tick') process.stdout.write(`ticked ${JSON.stringify(await server.jobs.tick(new Date(argument)))}\n`)
  if (command === 'stop') {
    await server.close()
    process.exit(0)
  }
}
