import * as advisor from './modules/advisor/index.js'
import * as rewards from './modules/rewards/index.js'
import type { Config } from './platform/config.js'
import type { Deps, Wiring } from './platform/deps.js'

/**
 * The one place modules are wired to each other: who acts on new activity in its transaction,
 * whose member data moves with a merge, where suggestions come from. The server, the CLI, jobs,
 * benchmarks and tests all build their Deps with composeDeps, so a purchase earns points however
 * it was recorded. A new module that hooks in adds itself here.
 */
export function wire(config: Pick<Config, 'pointsExpiryMonths'>): Wiring {
  return {
    activityListeners: [rewards.earnOnActivity(config)],
    mergeParticipants: [rewards.rewardsMergeParticipant, advisor.advisorMergeParticipant],
    suggestionSources: [],
  }
}

/** Deps over an open database, wired. */
export function composeDeps(parts: Omit<Deps, 'wiring'>): Deps {
  return { ...parts, wiring: wire(parts.config) }
}
