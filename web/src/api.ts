/** The Regulars API from the browser: same-origin session cookie, CSRF header on writes, problem+json errors. */

export interface FieldError {
  field: string
  message: string
}

/** An RFC 9457 problem the API answered with; `detail` is written for people. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: FieldError[],
  ) {
    super(detail ?? title)
  }
}

let csrfToken = ''
export const setCsrfToken = (token: string) => {
  csrfToken = token
}

/** Called when the session is gone (expired, logged out elsewhere): the app goes to the login page. */
let onUnauthenticated = () => {}
export const whenUnauthenticated = (handler: () => void) => {
  onUnauthenticated = handler
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken
  const response = await fetch(`/v1${path}`, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  if (response.status === 204) return undefined as T
  const data = await response.json().catch(() => ({}))
  if (!response.ok) {
    if (response.status === 401 && path !== '/auth/login' && path !== '/auth/me') onUnauthenticated()
    throw new Problem(response.status, data.type ?? 'about:blank', data.title ?? response.statusText, data.detail, data.errors ?? [])
  }
  return data as T
}

export const get = <T>(path: string) => api<T>('GET', path)

/** `?a=1&b=x` from an object, leaving out empty values. */
export function query(params: Record<string, string | number | undefined | null>) {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  const text = search.toString()
  return text ? `?${text}` : ''
}

// Shapes the API answers with (see /openapi.json).
export type StaffRole = 'associate' | 'manager' | 'admin'
export type Role = 'member' | StaffRole
export interface User {
  id: string
  email: string | null
  /** A member who joined by text message logs in with this. */
  phone: string | null
  displayName: string
  role: Role
  memberId: string | null
  storeIds: string[]
  createdAt: string
  disabledAt: string | null
}
export interface SignedIn {
  user: User
  csrfToken: string
}
export interface MemberListItem {
  id: string
  displayName: string
  email: string | null
  phone: string | null
  loyaltyId: string | null
  homeStoreId: string | null
  joinedAt: string
}
export interface Summary {
  purchases: number
  returns: number
  spendMinor: number
  currency: string
  visits: number
  firstPurchaseAt: string | null
  lastActivityAt: string | null
  channels: string[]
  stores: string[]
}
export interface MemberCard {
  member: {
    id: string
    givenName: string | null
    familyName: string | null
    displayName: string
    email: string | null
    phone: string | null
    birthDate: string | null
    homeStoreId: string | null
    homeStoreName: string | null
    preferredChannel: string | null
    language: string
    joinedAt: string
    joinedChannel: string | null
    addressLine: string | null
    postcode: string | null
    city: string | null
  }
  identifiers: { kind: string; value: string; addedAt: string; verified: boolean }[]
  consents: { purpose: string; granted: boolean; changedAt: string | null; wording: string }[]
  summary: Summary
}
export interface TimelineItem {
  id: string
  kind: string
  channel: string
  storeName: string | null
  occurredAt: string
  orderRef: string | null
  totalMinor: number | null
  currency: string | null
  lines: { sku: string; productName: string | null; quantity: number; unitPriceMinor: number; discountMinor: number }[]
}
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}
export interface Store {
  id: string
  code: string
  name: string
  region: string | null
  timezone: string
}
export interface Channel {
  code: string
  name: string
  unknownIdentifier: 'enrol' | 'park'
}
export interface Product {
  sku: string
  name: string
  category: string[]
  brand?: string | null
  priceMinor?: number | null
  currency?: string
}
export interface ApiKey {
  id: string
  name: string
  prefix: string
  scopes: string[]
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}
export interface AuditEntry {
  id: number
  at: string
  actorKind: string
  actorId: string
  actorName: string | null
  action: string
  targetKind: string
  targetId: string | null
  before: unknown
  after: unknown
}
export interface PersonSide {
  id: string
  givenName: string | null
  familyName: string | null
  birthDate: string | null
  email: string | null
  phone: string | null
  addressLine: string | null
  postcode: string | null
  city: string | null
}
export interface DuplicateCandidate {
  id: string
  score: number
  reasons: string[]
  foundAt: string
  status: string
  a: PersonSide
  b: PersonSide
}
export interface InsightsOverview {
  members: number
  activeMembers90d: number
  repeatRate: number
  salesByMonth: { month: string; salesMinor: number; orders: number; members: number }[]
  channelMix: { channel: string; members: number; salesMinor: number }[]
  storeSales: { storeCode: string; storeName: string; salesMinor: number; orders: number }[]
  currency: string
}
export interface Points {
  available: number
  pending: number
  reserved: number
  owed: number
  lifetimeEarned: number
  expiringSoon: { points: number; expiresAt: string }[]
}
export interface PointsMove {
  id: string
  kind: string
  occurredAt: string
  explanation: string
  available: number
  pending: number
}
export interface Reward {
  id: string
  name: string
  description: string
  kind: 'discount_code' | 'free_product' | 'experience'
  cost: number
  stock: number | null
  perMemberLimit: number | null
  channels: string[]
  active: boolean
}
export interface Redemption {
  id: string
  rewardId: string
  points: number
  status: string
  code: string | null
  reservedAt: string
  expiresAt: string | null
}
export interface Rule {
  id: string
  version: number
  status: string
  document: { name: string; description?: string; explanation: string } & Record<string, unknown>
  createdAt: string
  createdBy: string
}
export interface MemberTier {
  tier: string
  name: string
  perks: string[]
  score: number
  since: string | null
  downgradeAt: string | null
  next: { tier: string; name: string; threshold: number; needed: number } | null
  history: { from: string | null; to: string; score: number; at: string }[]
}
export type SegmentName = 'new' | 'relationship_driven' | 'fluctuating' | 'price_driven' | 'lapsed'
export interface SegmentMix {
  quarter: string | null
  refreshedAt: string | null
  segments: SegmentName[]
  mix: { segment: SegmentName; members: number }[]
  byQuarter: ({ quarter: string } & Record<SegmentName, number>)[]
  transitions: { from: SegmentName | 'none'; to: SegmentName; members: number }[]
  thresholds: { priceShare: number; participationBelow: number; lookbackQuarters: number; lapsedAfterQuarters: number }
}
export interface ValueSummary {
  refreshedAt: string | null
  models: { bgnbd?: Record<string, number>; gammaGamma?: Record<string, number> }
  buyers: number
  totalClvMinor: number
  averageClvMinor: number
  averagePAlive: number
  expectedPurchases: number
  atRisk: number
  clvBuckets: { fromMinor: number; toMinor: number | null; members: number }[]
  pAliveBuckets: { from: number; to: number; members: number }[]
}
export interface RetentionSummary {
  refreshedAt: string | null
  months: number
  byJoinMonth: { cohort: string; members: number; retained: (number | null)[] }[]
  byChannel: { channel: string; members: number; retained: (number | null)[] }[]
  repeatRate: number
  medianDaysBetweenPurchases: number | null
  omniVsSingle: {
    group: 'omni' | 'single'
    members: number
    averageSpendMinor: number
    averageOrders: number
    repeatRate: number
    active90d: number
    averageScore: number
  }[]
}
export interface ScoreSummary {
  averageScore: number
  parts: Record<string, number>
  spread: { from: number; to: number; members: number }[]
  trend: { month: string; averageScore: number; members: number }[]
}
export interface ScorecardFigures {
  membersServed: number
  returningMembers: number
  orders: number
  salesMinor: number
  storeVisits: number
  averageScore: number | null
  relationshipDriven: number
}
export interface Scorecard {
  dimension: string
  period: { from: string; to: string }
  previous: { from: string; to: string }
  rows: { key: string; name: string; detail: string | null; current: ScorecardFigures; previous: ScorecardFigures }[]
}
export interface InsightMember {
  memberId: string
  name: string
  homeStore: string | null
  segment: SegmentName | null
  score: number
  pAlive: number | null
  clvMinor: number | null
  orders: number
  spendMinor: number
  lastPurchaseAt: string | null
}
export interface MemberFigures {
  refreshedAt: string | null
  score: number | null
  parts: Record<string, number> | null
  segment: SegmentName | null
  pAlive: number | null
  expectedPurchases: number | null
  clvMinor: number | null
  channels: number
  orders12m: number
  spend12mMinor: number
  segments: { quarter: string; segment: SegmentName; lean: string | null; orders: number; promoShare: number | null; participation: number }[]
  scoreHistory: { month: string; score: number }[]
}
export interface MemberNote {
  id: string
  memberId: string
  authorName: string
  body: string
  tags: string[]
  shareable: boolean
  createdAt: string
}
export interface FollowUp {
  id: string
  memberId: string
  assigneeId: string
  title: string
  dueOn: string
  doneAt: string | null
  outcome: string | null
}
export interface Conversation {
  id: string
  memberId: string
  associateEmail: string
  at: string
  reason: string
  summary: string
  outcome: string
}
export interface OutreachItem {
  memberId: string
  name: string
  reason: 'follow_up' | 'birthday' | 'back_in_stock' | 'new_arrival' | 'drifting' | 'long_absence'
  why: string
  followUpId?: string
}
export interface Suggestion {
  sku: string
  name: string
  category: string | null
  brand: string | null
  reason: { kind: string; text: string }
}
export interface TastePreference {
  id: string
  kind: 'like' | 'dislike' | 'size' | 'note' | 'never_suggest'
  subjectKind: string
  subject: string
  recordedBy: string
  createdAt: string
}
export interface Taste {
  profiling: boolean
  learned: { kind: string; subject: string; strength: number; why: string }[]
  preferences: TastePreference[]
}

/** What adding or verifying an identifier answers. */
export interface LinkedIdentifier {
  kind: string
  value: string
  verified: boolean
  codeSent: boolean
  claimedActivities: number
}
export interface JobRun {
  id: string
  job: string
  trigger: 'schedule' | 'admin' | 'cli'
  requestedBy: string | null
  attempt: number
  startedAt: string
  durationMs: number | null
  outcome: 'running' | 'succeeded' | 'failed'
  summary: string | null
  result: Record<string, unknown> | null
  error: string | null
}
export interface JobSummary {
  name: string
  title: string
  description: string
  schedule: string
  timezone: string
  heavy: boolean
  nextRunAt: string
  lastRun: JobRun | null
}
