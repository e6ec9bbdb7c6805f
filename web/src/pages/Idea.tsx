import {
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Loader,
  NumberInput,
  Paper,
  Progress,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core'
import { IconBell, IconBellOff } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { api, get, type IdeaPage } from '../api'
import { PageTitle, ProblemAlert, Section, submit } from '../components/ui'
import { date, money } from '../format'
import { VoteButton } from '../ideas/IdeaCard'
import { useIdeaChange } from '../ideas/queries'
import { kindWords, placeOf, statusWords, supportText } from '../ideas/words'
import { useSession } from '../session'

/** An idea's page: vote and follow, how votes weigh (in words), the demand ladder, its history, products and comments. */
export function IdeaDetailPage() {
  const { ideaId } = useParams({ from: '/app/ideas/$ideaId' })
  const session = useSession()
  const member = session?.user.role === 'member'
  const page = useQuery({ queryKey: ['idea', ideaId], queryFn: () => get<IdeaPage>(`/ideas/${ideaId}`) })
  if (page.isPending) return <Loader />
  if (!page.data) return <ProblemAlert error={page.error} />
  const { idea, weight, mine } = page.data
  const status = statusWords[idea.status]
  return (
    <Stack data-testid="idea-page" maw={900} mx="auto">
      <Anchor component={Link} to="/ideas" size="sm">
        ← All ideas
      </Anchor>
      <PageTitle
        right={
          <Badge size="lg" color={status.color} variant="light">
            {status.label}
          </Badge>
        }
      >
        <span style={{ overflowWrap: 'anywhere' }}>{idea.title}</span>
      </PageTitle>
      <Text size="sm" c="dimmed" mt={-12}>
        {kindWords[idea.kind]} · {placeOf(idea)} · shared {date(idea.createdAt)}
      </Text>
      {idea.statusReason && (
        <Paper withBorder p="sm" radius="md" bg="gray.0">
          <Text size="sm">{idea.statusReason}</Text>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Paper withBorder p="md" radius="md">
          <Group align="flex-start" wrap="nowrap">
            <VoteButton idea={idea} canVote={member} />
            <Stack gap={6} style={{ flex: 1 }}>
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{idea.body}</Text>
              {member && <FollowButton ideaId={idea.id} following={mine?.following ?? false} />}
            </Stack>
          </Group>
        </Paper>
        <Section title="How votes count">
          <Text size="sm" data-testid="weight-formula">
            {weight.inWords}
          </Text>
          {weight.mine && (
            <Text size="sm" mt="xs" fw={500}>
              Your vote counts {supportText(weight.mine.weight)}
              {weight.mine.score === null ? '' : ` (relationship score ${weight.mine.score}`}
              {weight.mine.score === null ? ` (${weight.mine.purchases} purchases` : `, ${weight.mine.purchases} purchases`}
              {idea.category ? ` in ${idea.category})` : ')'}.
            </Text>
          )}
          {mine?.vote && (
            <Text size="xs" c="dimmed" mt={4}>
              You voted on {date(mine.vote.castAt)} with a weight of {supportText(mine.vote.weight)}
              {mine.vote.returned ? '; the idea closed and the vote came back to you' : ''}.
            </Text>
          )}
        </Section>
      </SimpleGrid>
      <Ladder page={page.data} member={member} />
      {page.data.products.length > 0 && (
        <Section title="It’s here: the products that answered it">
          <List>
            {page.data.products.map((p) => (
              <List.Item key={p.sku}>
                {p.name ?? p.sku}{' '}
                <Text span size="xs" c="dimmed">
                  ({p.sku})
                </Text>
              </List.Item>
            ))}
          </List>
        </Section>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Section title="What happened">
          <Timeline active={page.data.history.length - 1} bulletSize={14} lineWidth={2}>
            {page.data.history.map((h) => (
              <Timeline.Item key={`${h.status}-${h.at}`} title={statusWords[h.status].label}>
                <Text size="xs" c="dimmed">
                  {date(h.at)}
                </Text>
                {h.reason && <Text size="sm">{h.reason}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        </Section>
        <Comments page={page.data} />
      </SimpleGrid>
      {session && session.user.role !== 'member' && <Answer ideaId={idea.id} />}
    </Stack>
  )
}

function FollowButton({ ideaId, following }: { ideaId: string; following: boolean }) {
  const change = useIdeaChange(() => api(following ? 'DELETE' : 'PUT', `/ideas/${ideaId}/follow`))
  return (
    <Group>
      <Button
        size="compact-sm"
        variant="subtle"
        leftSection={following ? <IconBellOff size={14} /> : <IconBell size={14} />}
        title="Hear when it moves on"
        onClick={() => change.mutate(undefined)}
        loading={change.isPending}
      >
        {following ? 'Stop following' : 'Follow'}
      </Button>
    </Group>
  )
}

/** Support → "I'd buy it" → pre-order pledge: each step opens at its threshold of weighted support. */
function Ladder({ page, member }: { page: IdeaPage; member: boolean }) {
  const { ladder, demand, idea, mine } = page
  const [wouldBuy, pledge] = ladder.steps
  const top = Math.max(pledge.threshold, 1)
  const currency = demand.currency ?? 'GBP'
  return (
    <Section title="The demand ladder">
      <Stack gap="xs">
        <Progress.Root size={18} aria-label={`Support ${supportText(ladder.support)} of ${pledge.threshold}`}>
          <Progress.Section value={Math.min((ladder.support / top) * 100, 100)} color="teal" />
        </Progress.Root>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
          <Step title="1. Support" done>
            {supportText(ladder.support)} weighted support from {idea.voters} {idea.voters === 1 ? 'person' : 'people'}
          </Step>
          <Step title="2. “I’d buy it”" done={wouldBuy.open}>
            {wouldBuy.open
              ? `${demand.wouldBuy} would buy it${demand.medianPriceMinor === null ? '' : `, typically at ${money(demand.medianPriceMinor, currency)}`}`
              : `Opens at ${wouldBuy.threshold} support`}
          </Step>
          <Step title="3. Pre-order" done={pledge.open}>
            {pledge.open
              ? `${demand.pledges} pledged for ${demand.pledgedUnits} ${demand.pledgedUnits === 1 ? 'unit' : 'units'}`
              : `Opens at ${pledge.threshold} support`}
          </Step>
        </SimpleGrid>
        <Text size="xs" c="dimmed">
          Every step goes to our buyers in the merchandising feed. A pledge is an intent, not a payment: you can cancel it any time.
        </Text>
        {member && wouldBuy.open && <WouldBuyForm ideaId={idea.id} current={mine?.wouldBuy ?? null} />}
        {member && pledge.open && <PledgeForm ideaId={idea.id} current={mine?.pledge ?? null} />}
      </Stack>
    </Section>
  )
}

function Step({ title, done, children }: { title: string; done: boolean; children: React.ReactNode }) {
  return (
    <Paper withBorder p="xs" radius="md" bg={done ? 'teal.0' : undefined}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Text size="sm" c={done ? undefined : 'dimmed'}>
        {children}
      </Text>
    </Paper>
  )
}

type Demand = NonNullable<NonNullable<IdeaPage['mine']>['wouldBuy']>

function WouldBuyForm({ ideaId, current }: { ideaId: string; current: Demand | null }) {
  const [price, setPrice] = useState<number | string>(current?.priceMinor ? current.priceMinor / 100 : '')
  const [size, setSize] = useState(current?.size ?? '')
  const save = useIdeaChange(() => api('PUT', `/ideas/${ideaId}/would-buy`, { priceMinor: Math.round(Number(price) * 100), ...(size ? { size } : {}) }))
  const cancel = useIdeaChange(() => api('DELETE', `/ideas/${ideaId}/would-buy`))
  return (
    <form onSubmit={submit(() => save.mutate(undefined))}>
      <Group align="flex-end" wrap="wrap" gap="xs">
        <NumberInput label="I’d buy it at (£)" value={price} onChange={setPrice} min={0} max={100000} decimalScale={2} w={150} required />
        <TextInput label="Size (if any)" value={size} onChange={(e) => setSize(e.currentTarget.value)} maxLength={40} w={150} />
        <Button type="submit" loading={save.isPending} disabled={price === ''}>
          {current ? 'Change' : 'I’d buy it'}
        </Button>
        {current && (
          <Button variant="subtle" color="gray" onClick={() => cancel.mutate(undefined)} loading={cancel.isPending}>
            Take it back
          </Button>
        )}
      </Group>
      <ProblemAlert error={save.error ?? cancel.error} />
    </form>
  )
}

function PledgeForm({ ideaId, current }: { ideaId: string; current: Demand | null }) {
  const [quantity, setQuantity] = useState<number | string>(current?.quantity ?? 1)
  const save = useIdeaChange(() => api('PUT', `/ideas/${ideaId}/pledge`, { quantity: Number(quantity) }))
  const cancel = useIdeaChange(() => api('DELETE', `/ideas/${ideaId}/pledge`))
  return (
    <form onSubmit={submit(() => save.mutate(undefined))}>
      <Group align="flex-end" wrap="wrap" gap="xs">
        <NumberInput label="I’d pre-order" suffix=" pcs" value={quantity} onChange={setQuantity} min={1} max={999} w={150} />
        <Button type="submit" loading={save.isPending}>
          {current ? 'Change my pledge' : 'Pledge'}
        </Button>
        {current && (
          <Button variant="subtle" color="gray" onClick={() => cancel.mutate(undefined)} loading={cancel.isPending}>
            Cancel my pledge
          </Button>
        )}
      </Group>
      <ProblemAlert error={save.error ?? cancel.error} />
    </form>
  )
}

function Comments({ page }: { page: IdeaPage }) {
  const [body, setBody] = useState('')
  const add = useIdeaChange(
    () => api('POST', `/ideas/${page.idea.id}/comments`, { body }),
    () => setBody(''),
  )
  return (
    <Section title={`Comments (${page.comments.length})`}>
      <Stack gap="xs">
        {page.comments.map((c) => (
          <Paper key={c.id} p="xs" radius="sm" bg={c.by === 'staff' ? 'teal.0' : 'gray.0'}>
            <Group gap={6}>
              <Text size="xs" fw={600}>
                {c.by === 'staff' ? 'From the shop' : c.mine ? 'You' : 'A member'}
              </Text>
              <Text size="xs" c="dimmed">
                {date(c.createdAt)}
              </Text>
              {c.hidden && <Badge size="xs">hidden</Badge>}
            </Group>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {c.body}
            </Text>
          </Paper>
        ))}
        <form onSubmit={submit(() => add.mutate(undefined))}>
          <Stack gap="xs">
            <Textarea
              aria-label="Your comment"
              placeholder="Add a comment"
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              maxLength={2000}
              autosize
              minRows={2}
            />
            <Group justify="flex-end">
              <Button type="submit" size="compact-sm" disabled={!body.trim()} loading={add.isPending}>
                Comment
              </Button>
            </Group>
            <ProblemAlert error={add.error} />
          </Stack>
        </form>
      </Stack>
    </Section>
  )
}

/** Staff answer: a new status (a decline says why), with the products that answered it. */
function Answer({ ideaId }: { ideaId: string }) {
  const [status, setStatus] = useState<string | null>('under_review')
  const [reason, setReason] = useState('')
  const [skus, setSkus] = useState('')
  const answer = useIdeaChange(() =>
    api('POST', `/ideas/${ideaId}/status`, {
      status,
      ...(reason ? { reason } : {}),
      ...(skus.trim() ? { skus: skus.split(/[\s,]+/).filter(Boolean) } : {}),
    }),
  )
  return (
    <Section title="Answer this idea">
      <form onSubmit={submit(() => answer.mutate(undefined))}>
        <Stack gap="xs">
          <Title order={6} c="dimmed" fw={400}>
            Everyone who voted or follows it hears of the change.
          </Title>
          <Group align="flex-end" wrap="wrap" gap="xs">
            <Select
              label="Status"
              value={status}
              onChange={setStatus}
              allowDeselect={false}
              w={180}
              data={[
                { value: 'under_review', label: 'Under review' },
                { value: 'planned', label: 'Planned' },
                { value: 'in_stock', label: 'In stock now' },
                { value: 'declined', label: 'Declined' },
              ]}
            />
            <TextInput label="Products (skus)" value={skus} onChange={(e) => setSkus(e.currentTarget.value)} w={200} disabled={status !== 'in_stock'} />
          </Group>
          <Textarea
            label={status === 'declined' ? 'Why (needed to decline)' : 'A note for them (optional)'}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            maxLength={1000}
          />
          <Group>
            <Button type="submit" loading={answer.isPending}>
              Save the answer
            </Button>
          </Group>
          <ProblemAlert error={answer.error} />
        </Stack>
      </form>
    </Section>
  )
}
