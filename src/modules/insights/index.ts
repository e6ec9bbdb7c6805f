/** Relationship and sales measures for leadership and store managers. */

export { routes } from './routes.js'
export { overview } from './service.js'
