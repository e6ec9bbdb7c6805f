/** The Regulars API from the browser: same-origin session cookie, CSRF header on writes, problem+json errors. */
import type { Static, TSchema } from 'typebox'
import type * as accounts from '../../src/modules/accounts/api-schemas.js'
import type * as activity from '../../src/modules/activity/api-schemas.js'
import type * as advisor from '../../src/modules/advisor/api-schemas.js'
import type * as ideas from '../../src/modules/community/ideas/api-schemas.js'
import type * as moderation from '../../src/modules/community/moderation/api-schemas.js'
import type * as notifications from '../../src/modules/community/notifications/api-schemas.js'
import type * as polls from '../../src/modules/community/polls/api-schemas.js'
import type * as reviews from '../../src/modules/community/reviews/api-schemas.js'
import type * as demo from '../../src/modules/demo/api-schemas.js'
import type * as home from '../../src/modules/home/api-schemas.js'
import type * as identity from '../../src/modules/identity/api-schemas.js'
import type * as insights from '../../src/modules/insights/api-schemas.js'
import type * as members from '../../src/modules/members/api-schemas.js'
import type * as privacy from '../../src/modules/privacy/api-schemas.js'
import type * as rewards from '../../src/modules/rewards/api-schemas.js'
import type * as social from '../../src/modules/social/api-schemas.js'
import type * as jobs from '../../src/platform/jobs/api-schemas.js'

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

// Shapes the API answers with: the server's own schemas (type-only imports, so nothing of the server is
// bundled). A field the server renames or drops fails `tsc -p web/tsconfig.json`, and so `npm test`.
type Of<T extends TSchema> = Static<T>

export type User = Of<typeof accounts.User>
export type Role = User['role']
export type StaffRole = Of<typeof accounts.StaffRole>
export type SignedIn = Of<typeof accounts.SignedIn>
export type ApiKey = Of<typeof accounts.ApiKey>
export type ApiKeyScope = Of<typeof accounts.ApiKeyScope>
export type AuditEntry = Of<typeof accounts.AuditEntry>
export type AuditChoices = Of<typeof accounts.AuditChoices>
/** What sending a code or a link answers. */
export type Sent = Of<typeof accounts.Sent>
export type Accepted = Of<typeof accounts.Accepted>

export type MemberListItem = Of<typeof members.MemberListItemSchema>
export type MemberLookup = Of<typeof members.MemberLookup>
export type MemberCard = Of<typeof home.MemberCard>
export type Summary = MemberCard['summary']
export type TimelineItem = Of<typeof home.Timeline>['items'][number]
/** What adding or verifying an identifier answers. */
export type LinkedIdentifier = Of<typeof home.Linked>
export type Enrolled = Of<typeof home.Enrolled>
export type ConsentHistory = Of<typeof home.ConsentHistory>

export type Store = Of<typeof activity.Store>
export type StoreInput = Of<typeof activity.StoreInput>
export type Channel = Of<typeof activity.Channel>
export type Product = Of<typeof activity.Product>

export type PersonSide = Of<typeof identity.Side>
export type DuplicateCandidate = Of<typeof identity.Candidate>
export type DuplicateScan = Of<typeof identity.DuplicateScan>
export type Merge = Of<typeof identity.Merge>

export type Points = Of<typeof rewards.Points>
export type PointsMove = Of<typeof rewards.PointsHistory>['items'][number]
export type Reward = Of<typeof rewards.Reward>
export type RewardInput = Of<typeof rewards.RewardInput>
export type Redemption = Of<typeof rewards.Redemption>
export type TillRewards = Of<typeof rewards.TillRewards>
export type MyRedemption = Of<typeof rewards.MyRedemption>
export type RuleDocument = Of<typeof rewards.RuleDocument>
export type Rule = Of<typeof rewards.Rule>
export type Simulation = Of<typeof rewards.Simulation>
export type RuleChoices = Of<typeof rewards.RuleChoices>
export type TierSetup = Of<typeof rewards.TierSetup>
export type TierEvaluation = Of<typeof rewards.TierEvaluation>
export type MemberTier = Of<typeof rewards.MemberTier>
export type MyReferral = Of<typeof rewards.MyReferral>
export type ReferralRow = Of<typeof rewards.ReferralTree>['items'][number]
export type LedgerReport = Of<typeof rewards.LedgerReport>

export type InsightsOverview = Of<typeof insights.Overview>
export type SegmentName = insights.SegmentName
export type SegmentMix = Of<typeof insights.SegmentMix>
export type ValueSummary = Of<typeof insights.ValueSummary>
export type RetentionSummary = Of<typeof insights.RetentionSummary>
export type ScoreSummary = Of<typeof insights.ScoreSummary>
export type ScorecardFigures = Of<typeof insights.ScorecardFigures>
export type Scorecard = Of<typeof insights.Scorecard>
export type SalesSummary = Of<typeof insights.SalesSummary>
export type ScorecardTargets = Of<typeof insights.ScorecardTargets>
export type TargetFigure = insights.TargetFigure
export type InsightMember = Of<typeof insights.InsightMember>
export type InsightMemberList = Of<typeof insights.InsightMemberList>
export type MemberFigures = Of<typeof insights.MemberFigures>
export type RefreshResult = Of<typeof insights.RefreshResult>

export type MemberNote = Of<typeof advisor.MemberNote>
export type FollowUp = Of<typeof advisor.FollowUp>
export type Conversation = Of<typeof advisor.Conversation>
export type OutreachItem = Of<typeof advisor.OutreachItem>
export type ContactOptions = Of<typeof advisor.ContactOptions>
export type Suggestion = Of<typeof advisor.Suggestion>
export type MemberSuggestions = Of<typeof advisor.MemberSuggestions>
export type TastePreference = Of<typeof advisor.Preference>
export type Taste = Of<typeof advisor.Taste>

export type Erasure = Of<typeof privacy.Erasure>
export type DemoLogins = Of<typeof demo.DemoLogins>

export type FriendsPage = Of<typeof social.FriendsPage>
export type FriendRequestResult = Of<typeof social.RequestResult>
export type Feed = Of<typeof social.Feed>
export type FeedItem = Feed['items'][number]
export type Shares = Of<typeof social.Shares>
export type MemberLists = Of<typeof social.Lists>
export type MemberList = Of<typeof social.List>
export type ProductMatches = Of<typeof social.ProductMatches>
export type Notifications = Of<typeof notifications.Notifications>
export type NotificationItem = Of<typeof notifications.NotificationItem>
export type Unread = Of<typeof notifications.Unread>
export type NotificationSettings = Of<typeof notifications.NotificationSettings>
export type ModerationQueue = Of<typeof moderation.ModerationQueue>
export type QueueItem = Of<typeof moderation.QueueItem>
export type NewReport = Of<typeof moderation.NewReport>
export type NewBan = Of<typeof moderation.NewBan>
export type Ban = Of<typeof moderation.Ban>
export type IdeaPlaces = Of<typeof ideas.IdeaPlaces>
export type IdeaSummary = Of<typeof ideas.IdeaSummary>
export type IdeasBoard = Of<typeof ideas.IdeasBoard>
export type IdeaPage = Of<typeof ideas.IdeaPage>
export type NewIdea = Of<typeof ideas.NewIdea>
export type VoteResult = Of<typeof ideas.VoteResult>
export type MyVotes = Of<typeof ideas.MyVotes>
export type DemandFeed = Of<typeof ideas.DemandFeed>
export type LoopFigures = Of<typeof ideas.LoopFigures>
export type JobRun = Of<typeof jobs.JobRun>
export type JobSummary = Of<typeof jobs.JobSummary>
export type JobStarted = Of<typeof jobs.JobStarted>

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export type Poll = Of<typeof polls.Poll>
export type NearbyPoll = Of<typeof polls.NearbyPolls>['items'][number]
export type MyPoll = Of<typeof polls.MyPoll>
export type NextPair = Of<typeof polls.NextPair>
export type SuggestedOption = Of<typeof polls.SuggestedOption>
export type PollResults = Of<typeof polls.PollResults>
export type PollListItem = Of<typeof polls.PollList>['items'][number]
export type NewPoll = Of<typeof polls.NewPoll>

export type Review = Of<typeof reviews.Review>
export type ReviewInput = Of<typeof reviews.ReviewInput>
export type ReviewReply = Of<typeof reviews.Reply>
export type Question = Of<typeof reviews.Question>
export type QuestionAnswer = Of<typeof reviews.Answer>
export type ProductShown = Of<typeof reviews.ProductShown>
// The lists are `$ref`s in the schema (shared definitions in /openapi.json): typed here by what they point at.
export type ProductReviews = Omit<Of<typeof reviews.ProductReviews>, 'reviews'> & { reviews: Review[] }
export type ProductQuestions = Omit<Of<typeof reviews.ProductQuestions>, 'questions'> & { questions: Question[] }
