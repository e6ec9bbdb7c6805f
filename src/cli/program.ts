import { Command, CommanderError, Option } from 'commander'
import { DrizzleQueryError } from 'drizzle-orm/errors'
import { createApiKey, createUser } from '../modules/accounts/index.js'
import { listStores } from '../modules/activity/index.js'
import { resetDatabase, seedDemo } from '../modules/demo/index.js'
import { apiScopes, unknownScopes } from '../platform/auth/principal.js'
import { type ConfigFlags, loadConfig } from '../platform/config.js'
import { DomainError } from '../platform/http/problems.js'
import { packageVersion } from '../platform/package-root.js'
import { startServer } from '../server.js'
import { registerAdvisor } from './advisor.js'
import { type CliOutput, dataOption, stdio, withDeps } from './common.js'
import { registerGenerate } from './generate.js'
import { registerIdentity } from './identity.js'
import { registerImport } from './import.js'
import { registerInsights } from './insights.js'
import { registerJobs, runJobHere } from './jobs.js'
import { registerPolls } from './polls.js'
import { registerReviews } from './reviews.js'

/** The `regulars` command line: every command and its options, ready to parse, printing to `output`. */
export function createProgram({ say, warn }: CliOutput = stdio) {
  const program = new Command()
    .name('regulars')
    .description('Regulars: omni-channel customer relationships for retailers.\nEmbedded database by default; set DATABASE_URL=postgres://… for PostgreSQL.')
    // Set before any command is added, so that every command inherits them: errors and --help
    // reach the caller (runRegulars) as exceptions and text instead of ending the process.
    .exitOverride()
    .configureOutput({ writeOut: (text) => say(text.replace(/\n$/, '')), writeErr: (text) => warn(text.replace(/\n$/, '')) })
    // `demo --members` and `demo generate --members` are different commands' options.
    .enablePositionalOptions()
    .version(packageVersion(), '-V, --version', 'print the version of Regulars')

  program
    .command('serve')
    .description('Serve the API and web app (migrates first; seeds the demo retailer on an empty database)')
    .addOption(new Option('-p, --port <port>', 'port to listen on (env PORT)').default(undefined))
    .option('--host <host>', 'address to listen on (env HOST)')
    .addOption(dataOption())
    .option('--no-demo', 'do not seed the demo retailer on an empty database (env REGULARS_DEMO=false)')
    .action(async (flags: ConfigFlags & { demo: boolean }) => {
      const config = loadConfig(process.env, { ...flags, demo: flags.demo === false ? false : undefined })
      const server = await startServer(config, { say })
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.once(signal, () => {
          say(`${signal}: finishing requests in flight, then stopping…`)
          server.close().then(
            () => process.exit(0),
            () => process.exit(1),
          )
        })
      }
    })

  program
    .command('migrate')
    .description('Bring the database schema up to date (the server also does this on start)')
    .addOption(dataOption())
    .action(async (flags: ConfigFlags) => {
      await withDeps({ ...flags, demo: false }, async (deps) => say(`Schema is up to date (${deps.database.kind}).`))
    })

  const demo = program
    .command('demo')
    .description('Reset the database and seed the demo retailer again (deletes all data!)')
    .addOption(dataOption())
    .option('--members <n>', 'members to generate', '300')
    .option('--months <n>', 'months of history', '12')
    .option('--seed <n>', 'generator seed', '2026')
    .action(async (flags: ConfigFlags & { members: string; months: string; seed: string }) => {
      await withDeps(flags, async (deps) => {
        await resetDatabase(deps.db)
        const result = await seedDemo(deps, { members: Number(flags.members), months: Number(flags.months), seed: Number(flags.seed) })
        say(`Demo retailer seeded: ${result.members} members, ${result.activities} activities, ${result.lines} purchase lines.`)
        say(`Demo POS API key (shown once): ${result.posKey}`)
      })
    })
  registerGenerate(demo, say)

  const user = program.command('user').description('Manage logins')
  user
    .command('create')
    .description('Create a staff login')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--name <name>', 'display name')
    .addOption(new Option('--role <role>', 'staff role').choices(['associate', 'manager', 'admin']).makeOptionMandatory())
    .option('--store <code...>', 'codes of the stores the login works in, e.g. S01 (associates, managers)')
    .option('--password <password>', 'password (min 10 characters; env REGULARS_PASSWORD)')
    .addOption(dataOption())
    .action(async (flags: ConfigFlags & { email: string; name: string; role: 'associate' | 'manager' | 'admin'; store?: string[]; password?: string }) => {
      const password = flags.password ?? process.env.REGULARS_PASSWORD
      if (!password || password.length < 10) program.error('Give a password of at least 10 characters with --password or REGULARS_PASSWORD.')
      await withDeps(flags, async (deps) => {
        const known = await listStores(deps.db)
        const chosen = (flags.store ?? []).map((code) => known.find((s) => s.code === code || s.id === code))
        const unknown = (flags.store ?? []).filter((_, i) => !chosen[i])
        if (unknown.length)
          program.error(
            `No store with the code ${unknown.join(', ')}; ${known.length ? `the stores are ${known.map((s) => s.code).join(', ')}` : 'there are no stores yet (they come with the first activity or import)'}.`,
          )
        const created = await createUser(deps, {
          email: flags.email,
          displayName: flags.name,
          role: flags.role,
          storeIds: chosen.map((s) => s?.id as string),
          password: password as string,
        })
        const where = chosen.length ? ` for ${chosen.map((s) => `${s?.name} (${s?.code})`).join(', ')}` : ''
        say(`Created ${created.role} ${created.displayName} <${created.email}>${where}.`)
      })
    })

  const apikey = program.command('apikey').description('Manage API keys for channel integrations')
  apikey
    .command('create')
    .description('Create an API key; it is printed once and stored only as a hash')
    .requiredOption('--name <name>', 'what the key is for, e.g. "Camden POS"')
    .requiredOption('--scopes <scope...>', `${Object.keys(apiScopes).join(', ')}, store:<code>`)
    .addOption(dataOption())
    .action(async (flags: ConfigFlags & { name: string; scopes: string[] }) => {
      const unknown = unknownScopes(flags.scopes)
      if (unknown.length) program.error(`Unknown scope ${unknown.join(', ')}; a key can hold ${Object.keys(apiScopes).join(', ')} and store:<code>.`)
      await withDeps(flags, async (deps) => {
        const { apiKey, key } = await createApiKey(deps, { name: flags.name, scopes: flags.scopes })
        say(`API key "${apiKey.name}" (${apiKey.id}), scopes ${apiKey.scopes.join(' ')}:`)
        say(key)
      })
    })

  registerImport(program, say)

  program
    .command('rewards')
    .description('Points housekeeping')
    .command('jobs')
    .description(
      'Release pending points whose return window closed, remind and expire old points, lapse till holds, reward referrals (the rewards-housekeeping job, which the server runs every 5 minutes)',
    )
    .option('--nightly', "also re-score every member's tier over the rolling window (the tier-review job, nightly on the server)")
    .addOption(dataOption())
    .action(async (flags: ConfigFlags & { nightly?: boolean }) => {
      await withDeps({ ...flags, demo: false }, async (deps) => {
        say((await runJobHere(deps, 'rewards-housekeeping')).summary ?? '')
        if (flags.nightly) say((await runJobHere(deps, 'tier-review')).summary ?? '')
      })
    })
  registerIdentity(program, say)
  registerInsights(program, say)
  registerAdvisor(program, say, warn)
  registerJobs(program, say)
  registerPolls(program, say, warn)
  registerReviews(program, say, warn)
  // A mistake on the command line prints its reason and that command's usage line, not the whole help.
  for (const command of everyCommand(program))
    command.showHelpAfterError(`usage: ${commandPath(command)} ${command.usage()}\n(${commandPath(command)} --help says more)`)
  return program
}

const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)]
const commandPath = (command: Command): string => (command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name())

/**
 * Runs one `regulars` command line and resolves to its exit code: a failure prints its reason (a
 * person at a terminal wants that, not a stack trace). `serve` resolves once the server listens.
 */
export async function runRegulars(args: string[], output: CliOutput = stdio): Promise<number> {
  const program = createProgram(output)
  try {
    await program.parseAsync(args, { from: 'user' })
    return 0
  } catch (error) {
    // Commander has printed its own errors (and --help) already.
    if (error instanceof CommanderError) return error.exitCode
    output.warn(`error: ${reason(error)}`)
    return 1
  }
}

/**
 * What went wrong, in one line a person can act on. A failed query's message carries its SQL and
 * parameters (a password hash among them): only the database's own reason is shown.
 */
function reason(error: unknown): string {
  // A problem's title is for a screen ("Already exists"); its detail says what happened.
  if (error instanceof DomainError && error.message === error.title) return error.detail ?? error.title
  if (error instanceof DrizzleQueryError) return `the database refused the change: ${error.cause instanceof Error ? error.cause.message : 'no reason given'}`
  return error instanceof Error ? error.message : String(error)
}
