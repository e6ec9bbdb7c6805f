/** What one member bought, as the model holds it: read by the model and by the repurchase cycles. */
export interface MemberHistory {
  /** Item index → baskets it was in. */
  counts: Map<number, number>
  /** Item index → days it was bought on, oldest first (for cycles and fading). */
  days: Map<number, number[]>
  baskets: number
  /** The day of each of their baskets, oldest first. */
  visits: number[]
}
