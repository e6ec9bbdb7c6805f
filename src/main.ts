import { program } from './cli/program.js'

try {
  await program.parseAsync(process.argv)
} catch (error) {
  // A person at a terminal wants the reason, not a stack trace; --verbose-style detail goes to logs.
  program.error(`error: ${error instanceof Error ? error.message : String(error)}`, { exitCode: 1 })
}
