/*
 * Compile-time contract with the server (never bundled: nothing imports this file). The screens read
 * these fields; the types come from the server's TypeBox schemas (api.ts), so if a schema drops or
 * retypes one, `tsc -p web/tsconfig.json` (in `npm run typecheck` and `npm test`) fails here by name.
 */
import type { MemberCard, OutreachItem, Reward, Scorecard, SegmentMix, SignedIn, Taste, TimelineItem } from './api'

type Holds<T, Expected> = [T] extends [Expected] ? true : false
const holds = <T extends true>(): T | undefined => undefined

// Scorecards show clienteling beside sales (these three once went missing from a hand-written copy).
holds<Holds<Scorecard['rows'][number]['current'], { conversations: number; notes: number; suggestionsAccepted: number; averageScore: number | null }>>()
// Segment charts colour by segment name and read a quarter's counts by name.
holds<Holds<SegmentMix['byQuarter'][number], Record<SegmentMix['segments'][number], number> & { quarter: string }>>()
holds<Holds<OutreachItem['reason'], 'follow_up' | 'birthday' | 'back_in_stock' | 'new_arrival' | 'drifting' | 'long_absence'>>()
holds<Holds<Reward['kind'], 'discount_code' | 'free_product' | 'experience'>>()
holds<Holds<Taste['preferences'][number], { id: string; kind: string; subject: string }>>()
holds<Holds<SignedIn['user'], { id: string; role: string; memberId: string | null; storeIds: string[] }>>()
holds<Holds<MemberCard['summary'], { spendMinor: number; currency: string; channels: string[] }>>()
holds<Holds<TimelineItem['lines'][number], { sku: string; quantity: number; unitPriceMinor: number }>>()
