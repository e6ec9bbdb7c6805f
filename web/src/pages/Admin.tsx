import { Alert, Badge, Button, Code, CopyButton, Group, Loader, MultiSelect, PasswordInput, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { type ApiKey, type AuditEntry, api, type Channel, get, type Product, type Sent, type Store, type User } from '../api'
import { DuplicateReview } from '../components/DuplicateReview'
import { InsightsSettingsAdmin } from '../components/InsightsSettings'
import { JobsAdmin } from '../components/JobsAdmin'
import { MoreButton, usePages } from '../components/paging'
import { EmptyState, PageTitle, ProblemAlert, Section, submit } from '../components/ui'
import { dateTime, label, money } from '../format'
import { LedgerReport, ReferralTree, RewardsAdmin, RulesAdmin, TiersAdmin } from './AdminRewards'

function useSaved(keys: unknown[], message: string) {
  const client = useQueryClient()
  return () => {
    notifications.show({ color: 'teal', message })
    client.invalidateQueries({ queryKey: keys })
  }
}

function Stores() {
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => get<{ items: Store[] }>('/stores') })
  const [draft, setDraft] = useState({ code: '', name: '', region: '', timezone: 'Europe/London' })
  const saved = useSaved(['stores'], 'Store saved.')
  const save = useMutation({
    mutationFn: (store: typeof draft) => api('PUT', '/stores', { items: [{ ...store, region: store.region || null }] }),
    onSuccess: () => {
      setDraft({ code: '', name: '', region: '', timezone: 'Europe/London' })
      saved()
    },
  })
  return (
    <Section title="Stores">
      <Table.ScrollContainer minWidth={480}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Code</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Region</Table.Th>
              <Table.Th>Time zone</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {stores.data?.items.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td ff="monospace">{s.code}</Table.Td>
                <Table.Td>{s.name}</Table.Td>
                <Table.Td>{s.region ?? '—'}</Table.Td>
                <Table.Td>{s.timezone}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    onClick={() => setDraft({ code: s.code, name: s.name, region: s.region ?? '', timezone: s.timezone })}
                  >
                    Edit
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {stores.data?.items.length === 0 && <EmptyState title="No stores yet">Add your first store below; tills send its code with every sale.</EmptyState>}
      <form onSubmit={submit(() => save.mutate(draft))}>
        <Group mt="md" align="flex-end" wrap="wrap" gap="xs">
          <TextInput label="Code" value={draft.code} onChange={(e) => setDraft({ ...draft, code: e.currentTarget.value })} required w={100} />
          <TextInput
            label="Name"
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
            required
            style={{ flex: 1, minWidth: 160 }}
          />
          <TextInput label="Region" value={draft.region} onChange={(e) => setDraft({ ...draft, region: e.currentTarget.value })} w={140} />
          <TextInput label="Time zone" value={draft.timezone} onChange={(e) => setDraft({ ...draft, timezone: e.currentTarget.value })} w={160} />
          <Button type="submit" loading={save.isPending}>
            Save store
          </Button>
        </Group>
      </form>
      <ProblemAlert error={save.error ?? stores.error} />
    </Section>
  )
}

function Channels() {
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => get<{ items: Channel[] }>('/channels') })
  const saved = useSaved(['channels'], 'Channel saved.')
  const save = useMutation({
    mutationFn: (c: Channel) => api('PUT', `/channels/${c.code}`, { name: c.name, unknownIdentifier: c.unknownIdentifier }),
    onSuccess: saved,
  })
  return (
    <Section title="Channels">
      <Text size="sm" c="dimmed" mb="sm">
        When a channel sends activity for a card or email nobody holds yet, Regulars either enrols a new member (tills) or keeps it parked until a member claims
        it (guest checkout).
      </Text>
      <Table.ScrollContainer minWidth={420}>
        <Table>
          <Table.Tbody>
            {channels.data?.items.map((c) => (
              <Table.Tr key={c.code}>
                <Table.Td fw={600}>{c.name}</Table.Td>
                <Table.Td ff="monospace">{c.code}</Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Unknown shoppers on ${c.name}`}
                    data={[
                      { value: 'enrol', label: 'Enrol a new member' },
                      { value: 'park', label: 'Park as guest' },
                    ]}
                    value={c.unknownIdentifier}
                    onChange={(v) => v && save.mutate({ ...c, unknownIdentifier: v as Channel['unknownIdentifier'] })}
                    allowDeselect={false}
                    w={200}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ProblemAlert error={save.error ?? channels.error} />
    </Section>
  )
}

function Products() {
  const [q, setQ] = useState('')
  const pages = usePages<Product>(['products'], '/products', { q, limit: 50 })
  const { items } = pages
  return (
    <Section title="Products">
      <TextInput placeholder="Find by name or sku" value={q} onChange={(e) => setQ(e.currentTarget.value)} mb="sm" />
      {pages.isSuccess && items.length === 0 && (
        <EmptyState title={q ? 'No product matches' : 'No products yet'}>
          Products arrive with imports, tills (`PUT /v1/products`) or the first sale naming them.
        </EmptyState>
      )}
      <Table.ScrollContainer minWidth={520}>
        <Table fz="sm">
          <Table.Tbody>
            {items.map((p) => (
              <Table.Tr key={p.sku}>
                <Table.Td ff="monospace">{p.sku}</Table.Td>
                <Table.Td>{p.name}</Table.Td>
                <Table.Td c="dimmed">{p.category.join(' › ')}</Table.Td>
                <Table.Td>{p.brand ?? ''}</Table.Td>
                <Table.Td ta="right">{money(p.priceMinor ?? null, p.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <MoreButton pages={pages} label="More products" />
      <ProblemAlert error={pages.error} />
    </Section>
  )
}

const scopeChoices = ['activity:write', 'members:read', 'members:write', 'catalog:write', 'rewards:redeem']

function ApiKeys() {
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => get<{ items: ApiKey[] }>('/api-keys') })
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => get<{ items: Store[] }>('/stores') })
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<string[]>(['activity:write'])
  const [shown, setShown] = useState<string | null>(null)
  const saved = useSaved(['api-keys'], 'Done.')
  const create = useMutation({
    mutationFn: () => api<{ apiKey: ApiKey; key: string }>('POST', '/api-keys', { name, scopes }),
    onSuccess: (created) => {
      setShown(created.key)
      setName('')
      saved()
    },
  })
  const revoke = useMutation({ mutationFn: (id: string) => api('DELETE', `/api-keys/${id}`), onSuccess: saved })
  return (
    <Section title="API keys for tills, web shop and app">
      {shown && (
        <Alert color="yellow" title="Copy this key now: it is shown only once" mb="sm">
          <Group wrap="nowrap">
            <Code style={{ wordBreak: 'break-all' }}>{shown}</Code>
            <CopyButton value={shown}>
              {({ copied, copy }) => (
                <Button size="xs" onClick={copy}>
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      <Table.ScrollContainer minWidth={560}>
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Scopes</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {keys.data?.items.map((k) => (
              <Table.Tr key={k.id} c={k.revokedAt ? 'dimmed' : undefined}>
                <Table.Td>
                  {k.name} <Code>{k.prefix}…</Code>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {k.scopes.map((s) => (
                      <Badge key={s} size="xs" variant="light" tt="none">
                        {s}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{k.revokedAt ? `revoked ${dateTime(k.revokedAt)}` : dateTime(k.lastUsedAt)}</Table.Td>
                <Table.Td>
                  {!k.revokedAt && (
                    <Button size="compact-xs" color="red" variant="subtle" onClick={() => revoke.mutate(k.id)}>
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <form onSubmit={submit(() => create.mutate())}>
        <Group mt="md" align="flex-end" wrap="wrap" gap="xs">
          <TextInput
            label="What is it for"
            placeholder="Camden till 3"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            style={{ flex: 1, minWidth: 160 }}
          />
          <MultiSelect
            label="Scopes"
            data={[...scopeChoices, ...(stores.data?.items.map((s) => `store:${s.code}`) ?? [])]}
            value={scopes}
            onChange={setScopes}
            style={{ flex: 2, minWidth: 220 }}
          />
          <Button type="submit" loading={create.isPending} disabled={scopes.length === 0}>
            Create key
          </Button>
        </Group>
      </form>
      <ProblemAlert error={create.error ?? revoke.error ?? keys.error} />
    </Section>
  )
}

function Users() {
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<{ items: User[] }>('/users') })
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => get<{ items: Store[] }>('/stores') })
  const [draft, setDraft] = useState({ email: '', displayName: '', password: '', role: 'associate', storeIds: [] as string[] })
  const saved = useSaved(['users'], 'Saved.')
  const create = useMutation({
    mutationFn: () => api('POST', '/users', draft),
    onSuccess: () => {
      setDraft({ email: '', displayName: '', password: '', role: 'associate', storeIds: [] })
      saved()
    },
  })
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: Record<string, unknown> }) => api('PATCH', `/users/${id}`, change),
    onSuccess: saved,
  })
  const client = useQueryClient()
  const resetLink = useMutation({
    mutationFn: (u: User) => api<Sent>('POST', `/users/${u.id}/password-reset`),
    onSuccess: (sent) => {
      notifications.show({ color: 'teal', message: `Their old password no longer works. A link to choose a new one went to ${sent.sentTo}.` })
      client.invalidateQueries({ queryKey: ['audit'] })
    },
  })
  const storeName = (id: string) => stores.data?.items.find((s) => s.id === id)?.name ?? id.slice(0, 8)
  return (
    <Section title="Logins">
      <Table.ScrollContainer minWidth={600}>
        <Table fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Stores</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data?.items.map((u) => (
              <Table.Tr key={u.id} c={u.disabledAt ? 'dimmed' : undefined}>
                <Table.Td>{u.displayName}</Table.Td>
                <Table.Td>{u.email ?? u.phone}</Table.Td>
                <Table.Td>
                  {u.role === 'member' ? (
                    <Badge variant="light" color="gray">
                      member
                    </Badge>
                  ) : (
                    <Select
                      aria-label={`Role of ${u.displayName}`}
                      size="xs"
                      w={120}
                      data={['associate', 'manager', 'admin']}
                      value={u.role}
                      allowDeselect={false}
                      onChange={(role) => role && update.mutate({ id: u.id, change: { role } })}
                    />
                  )}
                </Table.Td>
                <Table.Td>{u.storeIds.map(storeName).join(', ') || (u.role === 'member' ? '' : 'all')}</Table.Td>
                <Table.Td>
                  {u.role !== 'member' && (
                    <Group gap={4} wrap="nowrap">
                      {!u.disabledAt && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          title="The old password stops working; a one-time link to choose a new one goes to their email"
                          onClick={() => window.confirm(`Reset ${u.displayName}'s password and email them a link?`) && resetLink.mutate(u)}
                          loading={resetLink.isPending && resetLink.variables?.id === u.id}
                        >
                          Reset password
                        </Button>
                      )}
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color={u.disabledAt ? 'teal' : 'red'}
                        onClick={() => update.mutate({ id: u.id, change: { disabled: !u.disabledAt } })}
                      >
                        {u.disabledAt ? 'Enable' : 'Disable'}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <form onSubmit={submit(() => create.mutate())}>
        <Group mt="md" align="flex-end" wrap="wrap" gap="xs">
          <TextInput label="Name" value={draft.displayName} onChange={(e) => setDraft({ ...draft, displayName: e.currentTarget.value })} required w={160} />
          <TextInput label="Email" type="email" value={draft.email} onChange={(e) => setDraft({ ...draft, email: e.currentTarget.value })} required w={200} />
          <PasswordInput
            label="Password"
            description="10+ characters"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.currentTarget.value })}
            required
            w={160}
          />
          <Select
            label="Role"
            data={['associate', 'manager', 'admin']}
            value={draft.role}
            onChange={(role) => setDraft({ ...draft, role: role ?? 'associate' })}
            allowDeselect={false}
            w={120}
          />
          <MultiSelect
            label="Stores"
            data={stores.data?.items.map((s) => ({ value: s.id, label: s.name })) ?? []}
            value={draft.storeIds}
            onChange={(storeIds) => setDraft({ ...draft, storeIds })}
            w={220}
          />
          <Button type="submit" loading={create.isPending}>
            Add login
          </Button>
        </Group>
      </form>
      <ProblemAlert error={create.error ?? update.error ?? resetLink.error ?? users.error} />
    </Section>
  )
}

function Audit() {
  const pages = usePages<AuditEntry>(['audit'], '/audit', { limit: 50 })
  const { items } = pages
  return (
    <Section title="Audit trail">
      {pages.isSuccess && items.length === 0 && (
        <EmptyState title="Nothing audited yet">Staff changes to members, logins, keys and settings appear here with before and after.</EmptyState>
      )}
      <Table.ScrollContainer minWidth={640}>
        <Table fz="sm" verticalSpacing="xs">
          <Table.Tbody>
            {items.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(entry.at)}</Table.Td>
                <Table.Td>{entry.actorName ?? entry.actorKind}</Table.Td>
                <Table.Td>
                  <Badge variant="light">{entry.action}</Badge>
                </Table.Td>
                <Table.Td>
                  <details>
                    <summary>
                      {label(entry.targetKind)} {entry.targetId?.slice(0, 8) ?? ''}
                    </summary>
                    <Code block fz="xs">
                      {JSON.stringify({ before: entry.before, after: entry.after }, null, 2)}
                    </Code>
                  </details>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <MoreButton pages={pages} label="Older entries" />
      <ProblemAlert error={pages.error} />
    </Section>
  )
}

const tabs = [
  ['stores', 'Stores', Stores],
  ['channels', 'Channels', Channels],
  ['products', 'Products', Products],
  ['keys', 'API keys', ApiKeys],
  ['users', 'Logins', Users],
  ['rules', 'Earning rules', RulesAdmin],
  ['tiers', 'Tiers', TiersAdmin],
  ['rewards', 'Rewards', RewardsAdmin],
  ['ledger', 'Points ledger', LedgerReport],
  ['referrals', 'Referrals', ReferralTree],
  ['insights', 'Insights', InsightsSettingsAdmin],
  ['duplicates', 'Duplicates', DuplicateReview],
  ['jobs', 'Jobs', JobsAdmin],
  ['audit', 'Audit', Audit],
] as const

export function AdminPage() {
  const search = useSearch({ from: '/app/admin' })
  const navigate = useNavigate()
  const tab = search.tab && tabs.some(([key]) => key === search.tab) ? search.tab : 'stores'
  return (
    <Stack data-testid="admin-area" maw={1200} mx="auto">
      <PageTitle>Admin</PageTitle>
      <Tabs value={tab} onChange={(value) => navigate({ to: '/admin', search: { tab: value ?? undefined } })} keepMounted={false}>
        <Tabs.List style={{ overflowX: 'auto', flexWrap: 'nowrap' }}>
          {tabs.map(([key, text]) => (
            <Tabs.Tab key={key} value={key}>
              {text}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map(([key, , Panel]) => (
          <Tabs.Panel key={key} value={key} pt="md">
            {key === tab ? <Panel /> : <Loader size="xs" />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  )
}
