/** The demo retailer: a generated chain with a year of history, seeded through each module's own functions. */
export { defaultEndDate, generateRetailer, writeHistoryCsv } from './generator.js'
export { seedProgramme } from './programme.js'
export { routes } from './routes.js'
export { demoLogins, demoLoginsPresent, isEmpty, resetDatabase, seedDemo } from './seed.js'
