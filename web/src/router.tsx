import type { QueryClient } from '@tanstack/react-query'
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router'
import { Shell } from './components/Shell'
import { ForgotPasswordPage, ResetPasswordPage, SignupPage } from './pages/Accounts'
import { IdeaDetailPage } from './pages/Idea'
import { IdeasBoardPage } from './pages/Ideas'
import { LoginPage } from './pages/Login'
import { MemberHomePage } from './pages/MemberHome'
import { NotFoundPage } from './pages/NotFound'
import { NotificationsPage } from './pages/Notifications'
import { PollPage } from './pages/Poll'
import { ProductPage } from './pages/Product'
import { RoomPage } from './pages/Room'
import { type AreaKey, homePath, mayUse, sessionQuery } from './session'

// Staff pages come when first opened (lazyRouteComponent), so a shopper's phone loads only the member's app.
const root = createRootRouteWithContext<{ queryClient: QueryClient }>()({ component: Outlet })

const login = createRoute({
  getParentRoute: () => root,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => (typeof search.redirect === 'string' ? { redirect: search.redirect } : {}),
  component: LoginPage,
})

const signup = createRoute({ getParentRoute: () => root, path: '/signup', component: SignupPage })
const forgotPassword = createRoute({ getParentRoute: () => root, path: '/forgot-password', component: ForgotPasswordPage })
const resetPassword = createRoute({
  getParentRoute: () => root,
  path: '/reset-password',
  validateSearch: (search: Record<string, unknown>): { token?: string } => (typeof search.token === 'string' ? { token: search.token } : {}),
  component: ResetPasswordPage,
})

/** Everything behind a login: no session, off to the login page (and back afterwards). */
const app = createRoute({
  getParentRoute: () => root,
  id: 'app',
  component: Shell,
  beforeLoad: async ({ context, location }) => {
    try {
      return { session: await context.queryClient.ensureQueryData(sessionQuery) }
    } catch {
      throw redirect({ to: '/login', search: { redirect: location.href } })
    }
  },
})

/** An area only its roles may open; anyone else typing its address lands in their own area. */
const area = (key: AreaKey) => ({
  beforeLoad: ({ context }: { context: { session?: { user: { role: Parameters<typeof homePath>[0] } } } }) => {
    const role = context.session?.user.role
    if (role && !mayUse(role, key)) throw redirect({ to: homePath(role) })
  },
})

const index = createRoute({
  getParentRoute: () => app,
  path: '/',
  beforeLoad: ({ context }) => {
    throw redirect({ to: homePath(context.session.user.role) })
  },
})
const memberHome = createRoute({ getParentRoute: () => app, path: '/me', ...area('home'), component: MemberHomePage })
// A room is open to its participants, members and the associate alike; the API says who.
const room = createRoute({
  getParentRoute: () => app,
  path: '/rooms/$roomId',
  validateSearch: (search: Record<string, unknown>): { code?: string } => (typeof search.code === 'string' ? { code: search.code } : {}),
  component: RoomPage,
})
// Ideas are for members and staff alike; the API says who may do what on them.
const ideasBoard = createRoute({ getParentRoute: () => app, path: '/ideas', component: IdeasBoardPage })
const ideaDetail = createRoute({ getParentRoute: () => app, path: '/ideas/$ideaId', component: IdeaDetailPage })
// A product's reviews and questions: members write and ask, associates answer and reply (the API says who).
// The reviews widget on the retailer's web shop links here; a shopper not signed in logs in first and comes back.
const product = createRoute({ getParentRoute: () => app, path: '/products/$sku', component: ProductPage })
// A poll near the member; staff read its results (the API says who may).
const poll = createRoute({ getParentRoute: () => app, path: '/polls/$pollId', ...area('home'), component: PollPage })
const pollResults = createRoute({
  getParentRoute: () => app,
  path: '/polls/$pollId/results',
  ...area('console'),
  component: lazyRouteComponent(() => import('./pages/PollResults'), 'PollResultsPage'),
})
const pollList = createRoute({
  getParentRoute: () => app,
  path: '/polls',
  ...area('console'),
  component: lazyRouteComponent(() => import('./pages/PollResults'), 'PollsPage'),
})
const consoleArea = createRoute({
  getParentRoute: () => app,
  path: '/associate',
  ...area('console'),
  component: lazyRouteComponent(() => import('./pages/Console'), 'ConsolePage'),
})
const memberDetail = createRoute({
  getParentRoute: () => app,
  path: '/associate/members/$memberId',
  ...area('console'),
  component: lazyRouteComponent(() => import('./pages/MemberDetail'), 'MemberDetailPage'),
})
const duplicates = createRoute({
  getParentRoute: () => app,
  path: '/associate/duplicates',
  ...area('console'),
  component: lazyRouteComponent(() => import('./pages/Duplicates'), 'DuplicatesPage'),
})
const moderation = createRoute({
  getParentRoute: () => app,
  path: '/associate/moderation',
  ...area('console'),
  component: lazyRouteComponent(() => import('./pages/Moderation'), 'ModerationPage'),
})
// Everyone signed in has a notification centre of their own; the API answers each only theirs.
const notificationCentre = createRoute({ getParentRoute: () => app, path: '/notifications', component: NotificationsPage })
const insights = createRoute({
  getParentRoute: () => app,
  path: '/insights',
  ...area('insights'),
  // Tab, filters and drill-down live in the address, so a view can be bookmarked or sent on.
  validateSearch: (search: Record<string, unknown>): Record<string, string | undefined> =>
    Object.fromEntries(Object.entries(search).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
  component: lazyRouteComponent(() => import('./pages/Insights'), 'InsightsPage'),
})
const admin = createRoute({
  getParentRoute: () => app,
  path: '/admin',
  ...area('admin'),
  validateSearch: (search: Record<string, unknown>): { tab?: string } => (typeof search.tab === 'string' ? { tab: search.tab } : {}),
  component: lazyRouteComponent(() => import('./pages/Admin'), 'AdminPage'),
})

const routeTree = root.addChildren([
  login,
  signup,
  forgotPassword,
  resetPassword,
  app.addChildren([
    index,
    memberHome,
    room,
    ideasBoard,
    ideaDetail,
    product,
    poll,
    pollResults,
    pollList,
    consoleArea,
    memberDetail,
    duplicates,
    moderation,
    notificationCentre,
    insights,
    admin,
  ]),
])

export const createAppRouter = (queryClient: QueryClient) =>
  createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', defaultNotFoundComponent: NotFoundPage })

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}
