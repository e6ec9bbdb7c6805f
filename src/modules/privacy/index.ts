/** Privacy requests: a member's data exported from every module, and erased on a verified request. */
export { routes } from './routes.js'
export { eraseMember, exportMemberData, zipMemberData } from './service.js'
