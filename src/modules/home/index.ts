/** The member card: profile and history together, for the member's home page and the associate console. */
export { routes } from './routes/index.js'
