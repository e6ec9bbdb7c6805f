import { sql } from 'drizzle-orm'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUser } from '../../src/modules/accounts/index.js'
import { upsertStores } from '../../src/modules/activity/index.js'
import { type ModerationTarget, screenContent } from '../../src/modules/community/index.js'
import { enrolMembers } from '../../src/modules/members/index.js'
import { queryRows } from '../../src/platform/db/index.js'
import { newId } from '../../src/platform/ids.js'
import type { RunningServer } from '../../src/server.js'
import { hasChromium, launchBrowser, screenshotDir, signedInPage, startEmptyServer } from './browser.js'

const password = 'correct horse battery'

/** A content kind of the test's own, registered as reviews and ideas register theirs (moderation's contract under test). */
const comments: ModerationTarget = {
  kind: 'comment',
  setVisible: async (db, contentId, visible) => void (await db.execute(sql`update test_comments set visible = ${visible} where id = ${contentId}`)),
  describe: (db, ids) =>
    queryRows(db, sql`select id as "contentId", body as text, 'Comment on Camden' as about from test_comments where id = any(${sql.param(ids)}::uuid[])`),
}

describe.skipIf(!hasChromium)('moderation in the web app (Chromium: a member reports, the associate hides, the author is told)', () => {
  let server: RunningServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  const ada = newId()
  const bea = newId()
  const camden = newId()
  const commentId = newId()
  const text = '<img src=x onerror="document.title=1"> Camden staff are useless, avoid'

  beforeAll(async () => {
    server = await startEmptyServer()
    const { deps } = server
    // The test's comments stand in for the ideas' (same kind): the queue must reach the test's table.
    deps.wiring.moderationTargets = [...deps.wiring.moderationTargets.filter((target) => target.kind !== comments.kind), comments]
    const at = deps.clock.now()
    await upsertStores(deps.db, [{ id: camden, code: 'CAM', name: 'Camden', region: null, timezone: 'Europe/London' }])
    await enrolMembers(
      deps.db,
      [
        { member: { id: ada, givenName: 'Ada', familyName: 'Lovelace', joinedAt: at }, identifiers: [{ kind: 'email', value: 'ada@moderation.test' }] },
        { member: { id: bea, givenName: 'Bea', familyName: 'Brown', joinedAt: at }, identifiers: [] },
      ],
      { defaultRegion: 'GB', at },
    )
    await createUser(deps, { email: 'ada@moderation.test', displayName: 'Ada', password, role: 'member', memberId: ada })
    await createUser(deps, { email: 'bea@moderation.test', displayName: 'Bea', password, role: 'member', memberId: bea })
    await createUser(deps, { email: 'sam@moderation.test', displayName: 'Sam', password, role: 'associate', storeIds: [camden] })
    await deps.db.execute(sql`create table test_comments (id uuid primary key, member_id uuid not null, body text not null, visible boolean not null)`)
    await deps.db.transaction(async (tx) => {
      const { status } = await screenContent({ db: tx, clock: deps.clock }, { kind: 'comment', contentId: commentId, memberId: ada, text, storeId: camden })
      await tx.execute(sql`insert into test_comments values (${commentId}, ${ada}, ${text}, ${status === 'published'})`)
    })
    browser = await launchBrowser()
  }, 120_000)
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await server?.close()
  })

  const openAs = async (email: string, width: number, testId: string): Promise<Page> => {
    const page = await signedInPage(browser, contexts, { base: server.url, email, password, width })
    await page.getByTestId(testId).waitFor()
    return page
  }
  const shot = (page: Page, name: string, width: number) => page.screenshot({ path: `${screenshotDir}/moderation-${name}-${width}.png`, fullPage: true })
  const visible = async () => (await queryRows<{ visible: boolean }>(server.deps.db, sql`select visible from test_comments where id = ${commentId}`))[0].visible

  it('takes Bea’s report to Camden’s associate, who bans after confirming and hides; Ada reads why under her bell', async () => {
    // Bea, on her phone, reports the comment (no page shows this test's kind, so her session calls the API).
    const beaPage = await openAs('bea@moderation.test', 390, 'member-home')
    const reported = await beaPage.evaluate(async (contentId) => {
      const { csrfToken } = await (await fetch('/v1/auth/me')).json()
      const response = await fetch('/v1/community/reports', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ kind: 'comment', contentId, reason: 'offensive', note: 'Rude about the staff' }),
      })
      return response.status
    }, commentId)
    expect(reported).toBe(201)

    // Sam opens the queue from the console: the comment is shown as text, with the report and its author.
    const samPage = await openAs('sam@moderation.test', 1280, 'associate-console')
    await samPage.getByRole('link', { name: 'Moderation (1)' }).click()
    const item = samPage.getByTestId('queue-item')
    await item.getByText('Rude about the staff').waitFor()
    expect(await item.getByTestId('queue-text').textContent()).toBe(text)
    expect(await samPage.title()).not.toBe('1')
    await item.getByText('Ada Lovelace').waitFor()
    await shot(samPage, 'queue', 1280)
    // The same queue on Sam's phone.
    const samPhone = await openAs('sam@moderation.test', 390, 'associate-console')
    await samPhone.goto(`${server.url}/associate/moderation`)
    await samPhone.getByTestId('queue-item').getByText('Rude about the staff').waitFor()
    await shot(samPhone, 'queue', 390)

    // A ban asks first, and says what it will do.
    await item.getByRole('button', { name: 'Ban author…' }).click()
    const dialog = samPage.getByRole('dialog')
    await dialog.getByLabel('Reason (the member reads it)').fill('Insults to staff')
    await dialog.getByRole('button', { name: 'Ban…' }).click()
    await dialog.getByText('Stop Ada Lovelace posting about Camden for 7 days?').waitFor()
    await shot(samPage, 'ban-confirm', 1280)
    await dialog.getByRole('button', { name: 'Yes, ban' }).click()
    await dialog.waitFor({ state: 'hidden' })

    await item.getByLabel('Reason').fill('Personal attack on a colleague')
    await item.getByRole('button', { name: 'Hide' }).click()
    await samPage.getByText('Nothing to look at').waitFor()
    expect(await visible()).toBe(false)

    // Ada's bell counts both decisions; the page says what happened and why.
    const adaPage = await openAs('ada@moderation.test', 390, 'member-home')
    await adaPage.getByRole('link', { name: 'Notifications, 2 unread' }).click()
    const hidden = adaPage.getByTestId('notification').filter({ hasText: 'A moderator hid your comment' })
    await hidden.getByText('The reason given: Personal attack on a colleague').waitFor()
    await adaPage.getByTestId('notification').filter({ hasText: 'You cannot post about Camden until' }).waitFor()
    await shot(adaPage, 'notifications', 390)
    await adaPage.setViewportSize({ width: 1280, height: 900 })
    await shot(adaPage, 'notifications', 1280)
    await adaPage.getByRole('button', { name: 'Mark all read' }).click()
    await adaPage.getByRole('link', { name: 'Notifications', exact: true }).waitFor()

    // What Ada hears about: answers by email too, once she lets email in; moderators' decisions only here.
    const settings = adaPage.getByTestId('notification-settings')
    await settings.getByText('Emails go to ada@moderation.test.').waitFor()
    const answersByEmail = settings.getByRole('switch', { name: 'Answers to my questions: by email' })
    expect(await answersByEmail.isDisabled()).toBe(true)
    await settings.getByRole('switch', { name: 'Email me notifications too' }).click({ force: true })
    await expect.poll(() => answersByEmail.isDisabled()).toBe(false)
    await answersByEmail.click({ force: true })
    await expect.poll(() => answersByEmail.isChecked()).toBe(true)
    await settings.getByText(/Given \d/).waitFor()
    await shot(adaPage, 'notification-settings', 1280)
    await adaPage.setViewportSize({ width: 390, height: 900 })
    await shot(adaPage, 'notification-settings', 390)

    // Bea's centre has none of it, and no address to email: her email switch waits for one.
    await beaPage.goto(`${server.url}/notifications`)
    await beaPage.getByText('Nothing yet').waitFor()
    await beaPage.getByTestId('notification-settings').getByText('There is no confirmed email address to write to yet', { exact: false }).waitFor()
    expect(await beaPage.getByRole('switch', { name: 'Email me notifications too' }).isDisabled()).toBe(true)
  }, 180_000)
})
