/** Time comes in as a dependency so tests can fix it. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(at: string | Date): Clock & { advance(ms: number): void } {
  let current = new Date(at).getTime()
  return {
    now: () => new Date(current),
    advance: (ms: number) => {
      current += ms
    },
  }
}
