import { Badge, Button, Group, Image, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { api, get, type Reward, type RewardInput, type TierSetup } from '../api'
import { ConfirmButton } from '../components/Confirm'
import { DataTable } from '../components/DataTable'
import { FormRow, MultiSelectField, markRefused, NumberField, SelectField, TextField } from '../components/form'
import { EmptyState, ProblemAlert, Section } from '../components/ui'
import { date } from '../format'

type RewardDraft = {
  name: string
  kind: RewardInput['kind']
  cost: number | string
  stock: number | string
  validFrom: string
  validUntil: string
  tiers: string[]
  imageUrl: string
}
const noReward: RewardDraft = { name: '', kind: 'discount_code', cost: 500, stock: '', validFrom: '', validUntil: '', tiers: [], imageUrl: '' }
const rewardKinds: { value: RewardInput['kind']; label: string }[] = [
  { value: 'discount_code', label: 'Discount code' },
  { value: 'free_product', label: 'Free product' },
  { value: 'experience', label: 'Experience' },
]
const whole = (n: number | string) => n === '' || Number.isInteger(Number(n))
const dayMs = 86_400_000

// Days are the admin's own: valid from the start of the first day to the end of the last.
const startOf = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : null)
const endOf = (day: string) => (day ? new Date(new Date(`${day}T00:00:00`).getTime() + dayMs).toISOString() : null)
const dayOf = (iso: string | null, minus = 0) => {
  if (!iso) return ''
  const at = new Date(new Date(iso).getTime() - minus)
  return `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`
}

/** "1 Jan 2027 – 31 Mar 2027", "from 1 Jan 2027", "until 31 Mar 2027", or "always". */
function validity(r: Reward) {
  const last = r.validUntil ? date(new Date(new Date(r.validUntil).getTime() - dayMs).toISOString()) : null
  if (r.validFrom && last) return `${date(r.validFrom)} – ${last}`
  if (r.validFrom) return `from ${date(r.validFrom)}`
  if (last) return `until ${last}`
  return 'always'
}

const draftOf = (r: Reward): RewardDraft => ({
  name: r.name,
  kind: r.kind,
  cost: r.cost,
  stock: r.stock ?? '',
  validFrom: dayOf(r.validFrom),
  validUntil: dayOf(r.validUntil, dayMs),
  tiers: r.tiers,
  imageUrl: r.imageUrl ?? '',
})

/** The rewards catalogue: what points buy, when, for whom; edit, deactivate and bring back. */
export function RewardsAdmin() {
  const client = useQueryClient()
  const rewards = useQuery({ queryKey: ['rewards'], queryFn: () => get<{ items: Reward[] }>('/rewards') })
  const setup = useQuery({ queryKey: ['tiers'], queryFn: () => get<TierSetup>('/tiers') })
  const tierName = (code: string) => setup.data?.tiers.find((t) => t.code === code)?.name ?? code
  const [editing, setEditing] = useState<Reward | null>(null)
  const form = useForm<RewardDraft>({ defaultValues: noReward })
  const saved = (reward: Reward, message: string) => {
    notifications.show({ color: 'teal', message })
    client.invalidateQueries({ queryKey: ['rewards'] })
    return reward
  }
  const save = useMutation({
    mutationFn: (draft: RewardDraft) => {
      const input: RewardInput = {
        name: draft.name,
        kind: draft.kind,
        cost: Number(draft.cost),
        stock: draft.stock === '' ? null : Number(draft.stock),
        validFrom: startOf(draft.validFrom),
        validUntil: endOf(draft.validUntil),
        tiers: draft.tiers,
        imageUrl: draft.imageUrl.trim() || null,
        active: editing?.active ?? true,
        description: editing?.description,
        perMemberLimit: editing?.perMemberLimit,
        channels: editing?.channels,
      }
      return editing ? api<Reward>('PUT', `/rewards/${editing.id}`, input) : api<Reward>('POST', '/rewards', input)
    },
    onSuccess: (reward) => {
      saved(reward, editing ? `Saved ${reward.name}.` : `${reward.name} is in the catalogue.`)
      setEditing(null)
      form.reset(noReward)
    },
    onError: (error) =>
      markRefused(form, error, {
        name: 'Up to 120 characters',
        cost: 'From 1 to 1,000,000 points',
        stock: 'None, or a whole number',
        validUntil: 'The last day must come after the first',
        tiers: 'Choose tiers that exist',
        imageUrl: 'A web address starting https://',
      }),
  })
  const setActive = useMutation({
    mutationFn: (r: Reward) => api<Reward>('PUT', `/rewards/${r.id}`, { ...inputOf(r), active: !r.active }),
    onSuccess: (r) => saved(r, r.active ? `${r.name} is back in the catalogue.` : `${r.name} is no longer offered; redemptions made stay valid.`),
  })
  return (
    <Section title="Rewards catalogue">
      {rewards.isSuccess && rewards.data.items.length === 0 && (
        <EmptyState title="No rewards yet">Add the first one below: what members can spend points on.</EmptyState>
      )}
      <DataTable
        label="Rewards"
        rows={rewards.data?.items ?? []}
        rowKey={(r) => r.id}
        minWidth={720}
        dimmedRow={(r) => !r.active}
        columns={[
          {
            title: 'Reward',
            heading: true,
            cell: (r) => (
              <Group gap="xs" wrap="nowrap">
                {r.imageUrl && <Image src={r.imageUrl} alt="" w={36} h={36} radius="sm" fit="cover" />}
                <span>{r.name}</span>
              </Group>
            ),
          },
          { title: 'Kind', cell: (r) => rewardKinds.find((k) => k.value === r.kind)?.label ?? r.kind },
          { title: 'Points', cell: (r) => r.cost.toLocaleString('en-GB'), align: 'right' },
          { title: 'Left', cell: (r) => r.stock ?? '∞', align: 'right' },
          { title: 'Valid', cell: (r) => validity(r), nowrap: true },
          { title: 'For', cell: (r) => (r.tiers.length ? `${r.tiers.map(tierName).join(', ')} members` : 'everyone') },
          {
            title: 'Status',
            cell: (r) => (
              <Badge variant="light" color={r.active ? 'teal' : 'gray'} tt="none">
                {r.active ? 'offered' : 'not offered'}
              </Badge>
            ),
          },
          {
            title: 'Actions',
            actions: true,
            cell: (r) => (
              <Group gap={4} wrap="nowrap">
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => {
                    setEditing(r)
                    form.reset(draftOf(r))
                  }}
                >
                  Edit
                </Button>
                {r.active ? (
                  <ConfirmButton
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    title={`Stop offering ${r.name}?`}
                    message="Members and tills no longer see it or redeem it. Codes already given stay valid, and you can offer it again later."
                    confirmLabel="Stop offering"
                    onConfirm={() => setActive.mutate(r)}
                  >
                    Deactivate
                  </ConfirmButton>
                ) : (
                  <Button size="compact-xs" variant="subtle" color="teal" onClick={() => setActive.mutate(r)}>
                    Offer again
                  </Button>
                )}
              </Group>
            ),
          },
        ]}
      />
      <Group justify="space-between" mt="md">
        <Text fw={600}>{editing ? `Edit ${editing.name}` : 'Add a reward'}</Text>
        {editing && (
          <Button
            size="xs"
            variant="subtle"
            onClick={() => {
              setEditing(null)
              form.reset(noReward)
            }}
          >
            Add a new one instead
          </Button>
        )}
      </Group>
      <FormRow form={form} onSubmit={(draft) => save.mutate(draft)} submitLabel={editing ? 'Save reward' : 'Add reward'} pending={save.isPending}>
        <TextField form={form} name="name" label="Name" style={{ flex: 1, minWidth: 180 }} rules={{ required: 'Give the reward a name' }} />
        <SelectField form={form} name="kind" label="Kind" data={rewardKinds} w={150} />
        <NumberField
          form={form}
          name="cost"
          label="Points"
          min={1}
          w={110}
          rules={{
            required: 'Say what it costs in points',
            validate: (cost) => (whole(cost) && Number(cost) >= 1 && Number(cost) <= 1_000_000) || 'From 1 to 1,000,000 points',
          }}
        />
        <NumberField
          form={form}
          name="stock"
          label={editing ? 'Left' : 'Stock'}
          placeholder="unlimited"
          min={0}
          w={110}
          rules={{ validate: (stock) => (whole(stock) && Number(stock) >= 0) || 'Leave empty for unlimited, or a whole number' }}
        />
        <TextField form={form} name="validFrom" label="First day" type="date" w={160} />
        <TextField
          form={form}
          name="validUntil"
          label="Last day"
          type="date"
          w={160}
          rules={{ validate: (last, draft) => !last || !draft.validFrom || last >= draft.validFrom || 'The last day must come after the first' }}
        />
        <MultiSelectField
          form={form}
          name="tiers"
          label="Only for tiers"
          placeholder="Everyone"
          data={setup.data?.tiers.map((t) => ({ value: t.code, label: t.name })) ?? []}
          w={220}
        />
        <TextField
          form={form}
          name="imageUrl"
          label="Picture (web address)"
          placeholder="https://…"
          style={{ flex: 1, minWidth: 220 }}
          rules={{ pattern: { value: /^https?:\/\/\S+\.\S+/, message: 'A web address starting https://' } }}
        />
      </FormRow>
      <ProblemAlert error={save.error ?? setActive.error ?? rewards.error} />
    </Section>
  )
}

/** The reward as the API takes it back, unchanged. */
const inputOf = (r: Reward): RewardInput => ({
  name: r.name,
  description: r.description,
  kind: r.kind,
  cost: r.cost,
  stock: r.stock,
  perMemberLimit: r.perMemberLimit,
  channels: r.channels,
  active: r.active,
  validFrom: r.validFrom,
  validUntil: r.validUntil,
  tiers: r.tiers,
  imageUrl: r.imageUrl,
})
