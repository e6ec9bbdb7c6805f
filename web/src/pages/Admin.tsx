import { Alert, Badge, Button, Code, CopyButton, Group, Loader, Select, Stack, Tabs, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { type ApiKey, type ApiKeyScope, api, type Channel, get, type Product, type Sent, type StaffRole, type Store, type StoreInput, type User } from '../api'
import { AuditTrail } from '../components/AuditTrail'
import { ConfirmButton } from '../components/Confirm'
import { DataTable } from '../components/DataTable'
import { DuplicateReview } from '../components/DuplicateReview'
import { emailPattern, FormRow, MultiSelectField, markRefused, PasswordField, SelectField, TextField } from '../components/form'
import { InsightsSettingsAdmin } from '../components/InsightsSettings'
import { JobsAdmin } from '../components/JobsAdmin'
import { MoreButton, usePages } from '../components/paging'
import { RulesAdmin } from '../components/RuleBuilder'
import { EmptyState, PageTitle, ProblemAlert, Section } from '../components/ui'
import { dateTime, money } from '../format'
import { RewardsAdmin } from './AdminCatalogue'
import { LedgerReport, ReferralTree, TiersAdmin } from './AdminRewards'

function useSaved(keys: unknown[], message: string) {
  const client = useQueryClient()
  return () => {
    notifications.show({ color: 'teal', message })
    client.invalidateQueries({ queryKey: keys })
  }
}

type StoreDraft = { code: string; name: string; region: string; timezone: string }
const noStore: StoreDraft = { code: '', name: '', region: '', timezone: 'Europe/London' }

function Stores() {
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => get<{ items: Store[] }>('/stores') })
  const form = useForm<StoreDraft>({ defaultValues: noStore })
  const saved = useSaved(['stores'], 'Store saved.')
  const save = useMutation({
    mutationFn: (store: StoreDraft) =>
      api<{ items: Store[] }>('PUT', '/stores', { items: [{ ...store, region: store.region || null }] } satisfies { items: StoreInput[] }),
    onSuccess: () => {
      form.reset(noStore)
      saved()
    },
    onError: (error) =>
      markRefused(form, error, {
        code: 'Letters, digits, - and _ only, up to 50',
        timezone: 'A time zone such as Europe/London',
        name: 'Up to 200 characters',
      }),
  })
  return (
    <Section title="Stores">
      <DataTable
        label="Stores"
        rows={stores.data?.items ?? []}
        rowKey={(s) => s.id}
        columns={[
          { title: 'Name', cell: (s) => s.name, heading: true },
          { title: 'Code', cell: (s) => s.code, mono: true },
          { title: 'Region', cell: (s) => s.region ?? '—' },
          { title: 'Time zone', cell: (s) => s.timezone },
          {
            title: 'Edit',
            actions: true,
            cell: (s) => (
              <Button
                size="compact-xs"
                variant="subtle"
                onClick={() => form.reset({ code: s.code, name: s.name, region: s.region ?? '', timezone: s.timezone })}
              >
                Edit
              </Button>
            ),
          },
        ]}
      />
      {stores.data?.items.length === 0 && <EmptyState title="No stores yet">Add your first store below; tills send its code with every sale.</EmptyState>}
      <FormRow form={form} onSubmit={(draft) => save.mutate(draft)} submitLabel="Save store" pending={save.isPending}>
        <TextField
          form={form}
          name="code"
          label="Code"
          w={110}
          rules={{
            required: 'Give the store a code',
            pattern: { value: /^[A-Za-z0-9_-]{1,50}$/, message: 'Letters, digits, - and _ only' },
          }}
        />
        <TextField form={form} name="name" label="Name" style={{ flex: 1, minWidth: 160 }} rules={{ required: 'Give the store a name' }} />
        <TextField form={form} name="region" label="Region" w={140} />
        <TextField form={form} name="timezone" label="Time zone" w={160} rules={{ required: 'Say which time zone the store keeps' }} />
      </FormRow>
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
      <DataTable
        label="Channels"
        rows={channels.data?.items ?? []}
        rowKey={(c) => c.code}
        minWidth={420}
        columns={[
          { title: 'Channel', cell: (c) => c.name, bold: true, heading: true },
          { title: 'Code', cell: (c) => c.code, mono: true },
          {
            title: 'Unknown shoppers',
            cell: (c) => (
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
            ),
          },
        ]}
      />
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
      <TextInput placeholder="Find by name or sku" aria-label="Find a product" value={q} onChange={(e) => setQ(e.currentTarget.value)} mb="sm" />
      {pages.isSuccess && items.length === 0 && (
        <EmptyState title={q ? 'No product matches' : 'No products yet'}>
          Products arrive with imports, tills (`PUT /v1/products`) or the first sale naming them.
        </EmptyState>
      )}
      <DataTable
        label="Products"
        rows={items}
        rowKey={(p) => p.sku}
        minWidth={520}
        columns={[
          { title: 'Product', cell: (p) => p.name, heading: true },
          { title: 'Sku', cell: (p) => p.sku, mono: true },
          { title: 'Category', cell: (p) => p.category.join(' › '), dimmed: true },
          { title: 'Brand', cell: (p) => p.brand ?? '' },
          { title: 'Price', cell: (p) => money(p.priceMinor ?? null, p.currency), align: 'right' },
        ]}
      />
      <MoreButton pages={pages} label="More products" />
      <ProblemAlert error={pages.error} />
    </Section>
  )
}

function ApiKeys() {
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => get<{ items: ApiKey[] }>('/api-keys') })
  // The server's own list (the one a new key is checked against), with a scope per store.
  const scopes = useQuery({ queryKey: ['api-key-scopes'], queryFn: () => get<{ items: ApiKeyScope[] }>('/api-keys/scopes') })
  const scopeWords = new Map(scopes.data?.items.map((s) => [s.scope, s.description]))
  const form = useForm<{ name: string; scopes: string[] }>({ defaultValues: { name: '', scopes: ['activity:write'] } })
  const [shown, setShown] = useState<string | null>(null)
  const saved = useSaved(['api-keys'], 'Done.')
  const create = useMutation({
    mutationFn: (key: { name: string; scopes: string[] }) => api<{ apiKey: ApiKey; key: string }>('POST', '/api-keys', key),
    onSuccess: (created) => {
      setShown(created.key)
      form.reset({ name: '', scopes: form.getValues('scopes') })
      saved()
    },
  })
  const revoke = useMutation({ mutationFn: (id: string) => api('DELETE', `/api-keys/${id}`), onSuccess: saved })
  return (
    <Section title="API keys for tills, web shop and app">
      {shown && (
        <Alert color="yellow" title="Copy this key now: it is shown only once" mb="sm">
          <Group>
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
      <DataTable
        label="API keys"
        rows={keys.data?.items ?? []}
        rowKey={(k) => k.id}
        minWidth={560}
        dimmedRow={(k) => Boolean(k.revokedAt)}
        columns={[
          {
            title: 'Name',
            heading: true,
            cell: (k) => (
              <>
                {k.name} <Code>{k.prefix}…</Code>
              </>
            ),
          },
          {
            title: 'Scopes',
            cell: (k) => (
              <Group gap={4} justify="inherit">
                {k.scopes.map((s) => (
                  <Badge key={s} size="xs" variant="light" tt="none">
                    {s}
                  </Badge>
                ))}
              </Group>
            ),
          },
          { title: 'Last used', cell: (k) => (k.revokedAt ? `revoked ${dateTime(k.revokedAt)}` : dateTime(k.lastUsedAt)) },
          {
            title: 'Revoke',
            actions: true,
            cell: (k) =>
              !k.revokedAt && (
                <ConfirmButton
                  size="compact-xs"
                  color="red"
                  variant="subtle"
                  title={`Revoke ${k.name}?`}
                  message="Whatever uses this key (a till, the web shop) is refused from now on. A revoked key cannot be brought back; make a new one instead."
                  confirmLabel="Revoke key"
                  onConfirm={() => revoke.mutate(k.id)}
                >
                  Revoke
                </ConfirmButton>
              ),
          },
        ]}
      />
      <FormRow form={form} onSubmit={(key) => create.mutate(key)} submitLabel="Create key" pending={create.isPending}>
        <TextField
          form={form}
          name="name"
          label="What is it for"
          placeholder="Camden till 3"
          style={{ flex: 1, minWidth: 160 }}
          rules={{ required: 'Say what the key is for, e.g. Camden till 3' }}
        />
        <MultiSelectField
          form={form}
          name="scopes"
          label="Scopes"
          data={scopes.data?.items.map((s) => ({ value: s.scope, label: s.scope })) ?? []}
          renderOption={({ option }) => (
            <div>
              <Text size="sm" ff="monospace">
                {option.value}
              </Text>
              <Text size="xs" c="dimmed">
                {scopeWords.get(option.value)}
              </Text>
            </div>
          )}
          style={{ flex: 2, minWidth: 220 }}
          rules={{ validate: (scopes) => scopes.length > 0 || 'Choose at least one thing the key may do' }}
        />
      </FormRow>
      <ProblemAlert error={create.error ?? revoke.error ?? keys.error ?? scopes.error} />
    </Section>
  )
}

type LoginDraft = { email: string; displayName: string; password: string; role: StaffRole; storeIds: string[] }
const noLogin: LoginDraft = { email: '', displayName: '', password: '', role: 'associate', storeIds: [] }

function Users() {
  const users = useQuery({ queryKey: ['users'], queryFn: () => get<{ items: User[] }>('/users') })
  const stores = useQuery({ queryKey: ['stores'], queryFn: () => get<{ items: Store[] }>('/stores') })
  const form = useForm<LoginDraft>({ defaultValues: noLogin })
  const saved = useSaved(['users'], 'Saved.')
  const create = useMutation({
    mutationFn: (login: LoginDraft) => api<User>('POST', '/users', login),
    onSuccess: () => {
      form.reset(noLogin)
      saved()
    },
    onError: (error) =>
      markRefused(form, error, {
        email: "That email doesn't look right",
        password: 'Choose a longer, less guessable password',
        displayName: 'Up to 200 characters',
      }),
  })
  const update = useMutation({
    mutationFn: ({ id, change }: { id: string; change: Record<string, unknown> }) => api<User>('PATCH', `/users/${id}`, change),
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
      <DataTable
        label="Logins"
        rows={users.data?.items ?? []}
        rowKey={(u) => u.id}
        minWidth={600}
        dimmedRow={(u) => Boolean(u.disabledAt)}
        columns={[
          { title: 'Name', cell: (u) => u.displayName, heading: true },
          { title: 'Email', cell: (u) => u.email ?? u.phone },
          {
            title: 'Role',
            cell: (u) =>
              u.role === 'member' ? (
                <Badge variant="light" color="gray">
                  member
                </Badge>
              ) : (
                <Select
                  aria-label={`Role of ${u.displayName}`}
                  size="xs"
                  w={120}
                  data={staffRoles}
                  value={u.role}
                  allowDeselect={false}
                  onChange={(role) => role && update.mutate({ id: u.id, change: { role } })}
                />
              ),
          },
          { title: 'Stores', cell: (u) => u.storeIds.map(storeName).join(', ') || (u.role === 'member' ? '' : 'all') },
          {
            title: 'Actions',
            actions: true,
            cell: (u) =>
              u.role !== 'member' && (
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
                  {u.disabledAt ? (
                    <Button size="compact-xs" variant="subtle" color="teal" onClick={() => update.mutate({ id: u.id, change: { disabled: false } })}>
                      Enable
                    </Button>
                  ) : (
                    <ConfirmButton
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      title={`Disable ${u.displayName}'s login?`}
                      message="They are logged out everywhere and cannot log in until an admin enables the login again."
                      confirmLabel="Disable login"
                      onConfirm={() => update.mutate({ id: u.id, change: { disabled: true } })}
                    >
                      Disable
                    </ConfirmButton>
                  )}
                </Group>
              ),
          },
        ]}
      />
      <FormRow form={form} onSubmit={(login) => create.mutate(login)} submitLabel="Add login" pending={create.isPending}>
        <TextField form={form} name="displayName" label="Name" w={160} rules={{ required: 'Give their name' }} />
        <TextField form={form} name="email" label="Email" type="email" w={200} rules={{ required: 'Give the email they log in with', pattern: emailPattern }} />
        <PasswordField
          form={form}
          name="password"
          label="Password"
          placeholder="10+ characters"
          w={160}
          rules={{ required: 'Choose a password for them', minLength: { value: 10, message: 'At least 10 characters' } }}
        />
        <SelectField form={form} name="role" label="Role" data={staffRoles} w={120} />
        <MultiSelectField
          form={form}
          name="storeIds"
          label="Stores"
          placeholder="All stores"
          data={stores.data?.items.map((s) => ({ value: s.id, label: s.name })) ?? []}
          w={220}
        />
      </FormRow>
      <ProblemAlert error={create.error ?? update.error ?? resetLink.error ?? users.error} />
    </Section>
  )
}

const staffRoles: StaffRole[] = ['associate', 'manager', 'admin']

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
  ['audit', 'Audit', AuditTrail],
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
