import { runRegulars } from './cli/program.js'

// Not process.exit: `serve` keeps running after the command line is done.
process.exitCode = await runRegulars(process.argv.slice(2))
