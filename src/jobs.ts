import * as advisor from './modules/advisor/index.js'
import * as community from './modules/community/index.js'
import * as insights from './modules/insights/index.js'
import * as rewards from './modules/rewards/index.js'
import * as social from './modules/social/index.js'
import * as rooms from './modules/social/rooms/index.js'
import type { Job } from './platform/jobs/index.js'

/** Every background job, as the modules declare them: a new module adds its `jobs` here and nowhere else. */
export const jobs: readonly Job[] = [...rewards.jobs, ...insights.jobs, ...advisor.jobs, ...social.jobs, ...rooms.jobs, ...community.jobs]
