import { ActionIcon, Alert, Badge, Button, Group, JsonInput, Paper, Select, SimpleGrid, Stack, Switch, Table, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { type FieldPath, useFieldArray, useForm, useWatch } from 'react-hook-form'
import { ruleAwards, ruleCaps, ruleConditions, ruleFields, weekdayNames } from '../../../src/modules/rewards/rule-vocabulary'
import { api, get, Problem, type Rule, type RuleChoices, type RuleDocument, type Simulation } from '../api'
import { money } from '../format'
import { ConfirmButton } from './Confirm'
import { DataTable } from './DataTable'
import { MultiSelectField, NumberField, TextField } from './form'
import { awardKinds, capKinds, conditionFields, emptyCondition, fromDocument, newDraft, type RuleDraft, ruleInWords, toDocument } from './rule-draft'
import { EmptyState, ProblemAlert, Section } from './ui'

const dayMs = 86_400_000
const dayOf = (at: Date) => `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`
// The admin's own days: from the start of the first to the end of the last.
const startOf = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : null)
const endOf = (day: string) => (day ? new Date(new Date(`${day}T00:00:00`).getTime() + dayMs).toISOString() : null)
const whole = (n: unknown) => Number.isInteger(Number(n))
const given = (n: unknown) => n !== '' && n !== null && n !== undefined

// The sentences the server's field messages use, with the builder's names (rule-vocabulary.ts).
const atLeast = (label: string, min: number) => `${label} must be at least ${min.toLocaleString('en-GB')}`
const atMost = (label: string, max: number) => `${label} can be at most ${max.toLocaleString('en-GB')}`
const bounded = (label: string, min: number, max: number, wholeOnly: boolean) => (value: unknown) => {
  if (!given(value)) return `${label} is required`
  if (wholeOnly && !whole(value)) return `${label} should be a whole number`
  if (Number(value) < min) return atLeast(label, min)
  if (Number(value) > max) return atMost(label, max)
  return true
}

/** Where a refusal's field (`body/document/award/flat`) sits in the builder's form. */
function formFieldOf(pointer: string, draft: RuleDraft): FieldPath<RuleDraft> | undefined {
  const [part, name] = pointer.replace(/^body\/document\/?/, '').split('/')
  if (part === 'when' && name === 'kinds') return 'kinds'
  if (part === 'when') {
    const i = draft.conditions.findIndex((c) => c.field === name)
    if (i < 0) return undefined
    const input = ruleConditions[draft.conditions[i].field].input
    return input === 'amount' ? `conditions.${i}.amount` : input === 'hours' ? `conditions.${i}.to` : `conditions.${i}.values`
  }
  if (part === 'award' && name) {
    const i = draft.awards.findIndex((a) => a.kind === name)
    return i < 0 ? undefined : `awards.${i}.amount`
  }
  if (part === 'caps' && name) return `caps.${name}` as FieldPath<RuleDraft>
  if (part === 'name' || part === 'explanation' || part === 'pendingDays' || part === 'description') return part
  return undefined
}

type Period = { from: string; to: string }
const lastDays = (days: number): Period => ({ from: dayOf(new Date(Date.now() - days * dayMs)), to: dayOf(new Date()) })

/** Earning rules: the list, and a builder that picks from the server's lists, checks as you type, compares a draft with the rule in force, and saves. */
export function RulesAdmin() {
  const client = useQueryClient()
  const rules = useQuery({ queryKey: ['rules'], queryFn: () => get<{ items: Rule[] }>('/rules') })
  const choices = useQuery({ queryKey: ['rules', 'choices'], queryFn: () => get<RuleChoices>('/rules/choices') })
  const [editing, setEditing] = useState<Rule | null>(null)
  const form = useForm<RuleDraft>({ defaultValues: newDraft(), mode: 'onChange' })
  const [json, setJson] = useState<string | null>(null)
  const [jsonProblem, setJsonProblem] = useState<string | null>(null)
  const [period, setPeriod] = useState<Period>(lastDays(30))

  const draftDocument = (): RuleDocument => (json === null ? toDocument(form.getValues()) : (JSON.parse(json) as RuleDocument))
  const refused = (error: unknown) => {
    if (!(error instanceof Problem)) return
    for (const e of error.errors) {
      const field = formFieldOf(e.field, form.getValues())
      if (field && json === null) form.setError(field, { type: 'server', message: e.message })
    }
  }
  const edit = (rule: Rule | null) => {
    setEditing(rule)
    setJson(null)
    setJsonProblem(null)
    simulate.reset()
    form.reset(
      rule
        ? fromDocument(rule.document, {
            firstDay: rule.startsAt ? dayOf(new Date(rule.startsAt)) : '',
            lastDay: rule.endsAt ? dayOf(new Date(new Date(rule.endsAt).getTime() - dayMs)) : '',
          })
        : newDraft(),
    )
  }
  const save = useMutation({
    mutationFn: () => {
      const { firstDay, lastDay } = form.getValues()
      return api<Rule>('POST', '/rules', { id: editing?.id, document: draftDocument(), startsAt: startOf(firstDay), endsAt: endOf(lastDay) })
    },
    onSuccess: (rule) => {
      notifications.show({ color: 'teal', message: `Saved ${rule.document.name}, version ${rule.version}.` })
      client.invalidateQueries({ queryKey: ['rules'] })
      edit(rule)
    },
    onError: refused,
  })
  const setStatus = useMutation({
    mutationFn: (rule: Rule) =>
      api<Rule>('POST', '/rules', {
        id: rule.id,
        document: rule.document,
        startsAt: rule.startsAt,
        endsAt: rule.endsAt,
        status: rule.status === 'active' ? 'retired' : 'active',
      }),
    onSuccess: (rule) => {
      notifications.show({
        color: 'teal',
        message: rule.status === 'retired' ? `${rule.document.name} is retired: members no longer earn from it.` : `${rule.document.name} is back in force.`,
      })
      client.invalidateQueries({ queryKey: ['rules'] })
      if (editing?.id === rule.id) setEditing(rule)
    },
  })
  const simulate = useMutation({
    mutationFn: () => {
      const { firstDay, lastDay } = form.getValues()
      return api<Simulation>('POST', '/rules/simulate', {
        document: draftDocument(),
        from: startOf(period.from),
        to: endOf(period.to),
        startsAt: startOf(firstDay),
        endsAt: endOf(lastDay),
        ruleId: editing?.id,
      })
    },
    onError: refused,
  })
  // Checked as the admin types, so Save and the dry run send only what the form passes.
  const run = (action: () => void) => () => {
    if (json !== null) {
      try {
        JSON.parse(json)
      } catch {
        setJsonProblem('That isn’t valid JSON yet.')
        return
      }
      action()
    } else form.handleSubmit(action)()
  }
  const toggleJson = (on: boolean) => {
    if (on) {
      setJson(JSON.stringify(toDocument(form.getValues()), null, 2))
      return
    }
    try {
      const { firstDay, lastDay } = form.getValues()
      form.reset(fromDocument(JSON.parse(json ?? '{}') as RuleDocument, { firstDay, lastDay }))
      setJson(null)
      setJsonProblem(null)
      form.trigger()
    } catch {
      setJsonProblem('That isn’t valid JSON yet: fix it to go back to the form.')
    }
  }

  return (
    <Stack>
      <Section title="Earning rules">
        <DataTable
          label="Earning rules"
          rows={rules.data?.items ?? []}
          rowKey={(rule) => rule.id}
          minWidth={640}
          dimmedRow={(rule) => rule.status !== 'active'}
          columns={[
            { title: 'Rule', cell: (rule) => rule.document.name, bold: true, heading: true },
            { title: 'What it does', cell: (rule) => ruleInWords(rule.document, choices.data), dimmed: true, block: true },
            {
              title: 'Version',
              nowrap: true,
              cell: (rule) => (
                <Badge variant="light" color={rule.status === 'active' ? 'teal' : 'gray'} tt="none">
                  v{rule.version} {rule.status}
                </Badge>
              ),
            },
            {
              title: 'Actions',
              actions: true,
              cell: (rule) => (
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" onClick={() => edit(rule)}>
                    Edit
                  </Button>
                  {rule.status === 'active' ? (
                    <ConfirmButton
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      title={`Retire ${rule.document.name}?`}
                      message={
                        <Stack gap="xs">
                          <Text size="sm">Members stop earning from it from now on: {ruleInWords(rule.document, choices.data)}</Text>
                          <Text size="sm">Points it already gave stay theirs. You can put it back in force later; that saves a new version.</Text>
                        </Stack>
                      }
                      confirmLabel="Retire rule"
                      loading={setStatus.isPending && setStatus.variables?.id === rule.id}
                      onConfirm={() => setStatus.mutate(rule)}
                    >
                      Retire
                    </ConfirmButton>
                  ) : (
                    <Button size="compact-xs" variant="subtle" color="teal" onClick={() => setStatus.mutate(rule)}>
                      Put back in force
                    </Button>
                  )}
                </Group>
              ),
            },
          ]}
        />
        {rules.data?.items.length === 0 && (
          <EmptyState title="No earning rules">Build one below: points per pound, fixed points for a review, a weekday bonus…</EmptyState>
        )}
        <ProblemAlert error={rules.error ?? setStatus.error ?? choices.error} />
      </Section>
      <Section title={editing ? `Edit ${editing.document.name} (saves version ${editing.version + 1})` : 'New rule'} testId="rule-builder">
        <Group justify="space-between" gap="xs" mb="xs">
          <Switch label="Advanced (JSON)" checked={json !== null} onChange={(e) => toggleJson(e.currentTarget.checked)} />
          {editing && (
            <Button size="xs" variant="subtle" onClick={() => edit(null)}>
              New rule instead
            </Button>
          )}
        </Group>
        {json !== null ? (
          <Stack gap="xs">
            <JsonInput
              value={json}
              onChange={(text) => {
                setJson(text)
                setJsonProblem(null)
              }}
              autosize
              minRows={10}
              validationError="Not valid JSON yet"
              formatOnBlur
              aria-label="Rule document"
            />
            {jsonProblem && (
              <Text c="red" size="sm">
                {jsonProblem}
              </Text>
            )}
          </Stack>
        ) : (
          <RuleForm form={form} choices={choices.data} />
        )}
        <DryRun period={period} setPeriod={setPeriod} simulation={simulate.data} editing={editing} />
        <Group mt="sm">
          <Button onClick={run(() => save.mutate())} loading={save.isPending}>
            Save rule
          </Button>
          <Button variant="light" onClick={run(() => simulate.mutate())} loading={simulate.isPending}>
            {editing ? 'Compare with the current version' : 'Try it on this period'}
          </Button>
        </Group>
        <ProblemAlert error={save.error ?? simulate.error} />
      </Section>
    </Stack>
  )
}

type Form = ReturnType<typeof useForm<RuleDraft>>

/** The rule as fields: what members do, conditions from lists, what it gives, its limits and its days. */
function RuleForm({ form, choices }: { form: Form; choices?: RuleChoices }) {
  const conditions = useFieldArray({ control: form.control, name: 'conditions' })
  const awards = useFieldArray({ control: form.control, name: 'awards', rules: { minLength: 1 } })
  const values = useWatch({ control: form.control }) as RuleDraft
  const usedConditions = new Set(values.conditions?.map((c) => c.field))
  const usedAwards = new Set(values.awards?.map((a) => a.kind))
  const codes = (xs: { code: string; name: string }[] = []) => xs.map((x) => ({ value: x.code, label: x.name }))
  const withSaved = (data: { value: string; label: string }[], saved: string[] = []) => [
    ...data,
    ...saved.filter((s) => !data.some((d) => d.value === s)).map((s) => ({ value: s, label: s })),
  ]
  const listFor = (field: keyof typeof ruleConditions, saved: string[]) => {
    if (field === 'channels') return withSaved(codes(choices?.channels), saved)
    if (field === 'stores') return withSaved(codes(choices?.stores), saved)
    if (field === 'tiers') return withSaved(codes(choices?.tiers), saved)
    if (field === 'categories')
      return withSaved(
        (choices?.categories ?? []).map((c) => ({ value: c, label: c })),
        saved,
      )
    if (field === 'brands')
      return withSaved(
        (choices?.brands ?? []).map((b) => ({ value: b, label: b })),
        saved,
      )
    return weekdayNames.map(([n, name]) => ({ value: String(n), label: name }))
  }
  const currency = choices?.currency ?? 'GBP'
  const symbol = money(0, currency).replace(/[\d.,\s]/g, '')
  let words = ''
  try {
    words = ruleInWords(toDocument(values), choices)
  } catch {}

  return (
    <Stack gap="sm">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextField
          form={form}
          name="name"
          label={ruleFields.name.label}
          placeholder="Coffee Tuesdays"
          rules={{
            required: 'Give the rule a name',
            maxLength: { value: ruleFields.name.maxLength, message: `${ruleFields.name.label} can be at most ${ruleFields.name.maxLength} characters` },
          }}
        />
        <MultiSelectField
          form={form}
          name="kinds"
          label="When a member…"
          placeholder="Choose an activity"
          searchable
          data={withSaved(codes(choices?.kinds), values.kinds)}
          rules={{ validate: (kinds) => kinds.length > 0 || 'Choose at least one activity the rule rewards' }}
        />
      </SimpleGrid>

      <Stack gap={6} data-testid="rule-conditions">
        <Text fw={600} size="sm">
          Only when
        </Text>
        {conditions.fields.length === 0 && (
          <Text size="sm" c="dimmed">
            Always, for every such activity. Add a condition to narrow it.
          </Text>
        )}
        {conditions.fields.map((row, i) => {
          const spec = ruleConditions[row.field]
          const label = spec.label
          return (
            <Paper key={row.id} withBorder p="xs" radius="sm" data-testid={`condition-${row.field}`}>
              <Group align="flex-start" gap="xs" wrap="wrap">
                <Text size="sm" fw={500} mt={6} miw={120}>
                  {label}{' '}
                  <Text span c="dimmed" size="sm" fw={400}>
                    {spec.operator}
                  </Text>
                </Text>
                {(spec.input === 'list' || spec.input === 'weekdays') && (
                  <MultiSelectField
                    form={form}
                    name={`conditions.${i}.values`}
                    aria-label={label}
                    placeholder={`Choose ${label.toLowerCase()}`}
                    searchable
                    data={listFor(row.field, values.conditions?.[i]?.values)}
                    style={{ flex: 1, minWidth: 200 }}
                    rules={{
                      validate: (v) => (Array.isArray(v) && v.length > 0) || `Choose at least one ${label.toLowerCase()}, or remove the condition`,
                    }}
                  />
                )}
                {spec.input === 'amount' && (
                  <NumberField
                    form={form}
                    name={`conditions.${i}.amount`}
                    aria-label={label}
                    prefix={symbol}
                    decimalScale={2}
                    min={0}
                    w={140}
                    rules={{
                      validate: (v) => (given(v) && Number(v) >= 0.01) || `${label} must be at least ${money(ruleConditions.minSpend.minimum, currency)}`,
                    }}
                  />
                )}
                {spec.input === 'hours' && (
                  <>
                    <NumberField
                      form={form}
                      name={`conditions.${i}.from`}
                      aria-label="From hour"
                      suffix=":00"
                      w={90}
                      min={0}
                      max={23}
                      rules={{ validate: bounded('From hour', ruleFields.hoursFrom.minimum, ruleFields.hoursFrom.maximum, true) }}
                    />
                    <Text size="sm" mt={6}>
                      and
                    </Text>
                    <NumberField
                      form={form}
                      name={`conditions.${i}.to`}
                      aria-label="To hour"
                      suffix=":00"
                      w={90}
                      min={1}
                      max={24}
                      rules={{
                        deps: [`conditions.${i}.from`],
                        validate: (to, draft) => {
                          const inRange = bounded('To hour', ruleFields.hoursTo.minimum, ruleFields.hoursTo.maximum, true)(to)
                          if (inRange !== true) return inRange
                          return Number(to) > Number(draft.conditions[i]?.from) || 'The time of day must end after it starts'
                        },
                      }}
                    />
                  </>
                )}
                <ActionIcon variant="subtle" color="gray" mt={4} aria-label={`Remove ${label.toLowerCase()}`} onClick={() => conditions.remove(i)}>
                  ×
                </ActionIcon>
              </Group>
            </Paper>
          )
        })}
        {conditionFields.some((f) => !usedConditions.has(f)) && (
          <Select
            aria-label="Add a condition"
            placeholder="+ Add a condition"
            value={null}
            data={conditionFields.filter((f) => !usedConditions.has(f)).map((f) => ({ value: f, label: ruleConditions[f].label }))}
            onChange={(field) => field && conditions.append(emptyCondition(field as keyof typeof ruleConditions))}
            maw={320}
          />
        )}
      </Stack>

      <Stack gap={6} data-testid="rule-awards">
        <Text fw={600} size="sm">
          It gives
        </Text>
        {awards.fields.map((row, i) => {
          const spec = ruleAwards[row.kind]
          return (
            <Paper key={row.id} withBorder p="xs" radius="sm">
              <Group align="flex-start" gap="xs" wrap="wrap">
                <NumberField
                  form={form}
                  name={`awards.${i}.amount`}
                  label={spec.label}
                  description={spec.hint}
                  min={spec.minimum}
                  max={spec.maximum}
                  decimalScale={spec.whole ? 0 : 2}
                  style={{ flex: 1, minWidth: 200 }}
                  rules={{ validate: bounded(spec.label, spec.minimum, spec.maximum, spec.whole) }}
                />
                <ActionIcon variant="subtle" color="gray" mt={28} aria-label={`Remove ${spec.label.toLowerCase()}`} onClick={() => awards.remove(i)}>
                  ×
                </ActionIcon>
              </Group>
            </Paper>
          )
        })}
        {awards.fields.length === 0 && (
          <Text c="red" size="sm">
            Give the rule something to award: points per pound, fixed points or a multiplier
          </Text>
        )}
        {awardKinds.some((k) => !usedAwards.has(k)) && (
          <Select
            aria-label="Add what it gives"
            placeholder="+ Add what it gives"
            value={null}
            data={awardKinds.filter((k) => !usedAwards.has(k)).map((k) => ({ value: k, label: ruleAwards[k].label }))}
            onChange={(kind) => kind && awards.append({ kind: kind as keyof typeof ruleAwards, amount: kind === 'multiplier' ? 2 : 10 })}
            maw={320}
          />
        )}
      </Stack>

      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        {capKinds.map((k) => (
          <NumberField
            key={k}
            form={form}
            name={`caps.${k}`}
            label={ruleCaps[k].label}
            placeholder="no limit"
            min={1}
            decimalScale={0}
            rules={{
              validate: (v) => !given(v) || (whole(v) && Number(v) >= 1) || `${ruleCaps[k].label} must be a whole number of at least 1, or empty for no limit`,
            }}
          />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <NumberField
          form={form}
          name="pendingDays"
          label={ruleFields.pendingDays.label}
          description="A return window: 0 to spend at once"
          min={0}
          max={365}
          decimalScale={0}
          rules={{
            validate: (v) => !given(v) || bounded(ruleFields.pendingDays.label, ruleFields.pendingDays.minimum, ruleFields.pendingDays.maximum, true)(v),
          }}
        />
        <TextField form={form} name="firstDay" label="First day" description="Empty: from now" type="date" />
        <TextField
          form={form}
          name="lastDay"
          label="Last day"
          description="Empty: no end"
          type="date"
          rules={{ deps: ['firstDay'], validate: (last, d) => !last || !d.firstDay || last >= d.firstDay || 'The last day must come after the first' }}
        />
      </SimpleGrid>
      <TextField
        form={form}
        name="explanation"
        label={ruleFields.explanation.label}
        description="{points}, {product}, {store} and {kind} are filled in"
        rules={{
          required: 'Say what the member reads in their points history',
          maxLength: { value: ruleFields.explanation.maxLength, message: `${ruleFields.explanation.label} can be at most 200 characters` },
        }}
      />
      <Alert variant="light" color="teal" title="In words" data-testid="rule-in-words">
        {words}
      </Alert>
    </Stack>
  )
}

/** The period a dry run replays, and its answer beside the rule's current version. */
function DryRun({ period, setPeriod, simulation, editing }: { period: Period; setPeriod: (p: Period) => void; simulation?: Simulation; editing: Rule | null }) {
  const s = simulation
  const rows = s
    ? [
        ['Members who earn', s.membersAffected, s.current?.membersAffected],
        ['Activities that earn', s.activitiesAwarded, s.current?.activitiesAwarded],
        ['Points', s.points, s.current?.points],
        ['Points in money', s.value.minor, s.current?.value.minor, true],
      ]
    : []
  const show = (n: number | undefined, isMoney?: boolean) =>
    n === undefined ? '—' : isMoney ? money(n, s?.value.currency) : n.toLocaleString('en-GB', { signDisplay: 'auto' })
  const change = (a: number, b: number | undefined, isMoney?: boolean) => {
    if (b === undefined) return '—'
    const d = a - b
    const said = isMoney ? money(Math.abs(d), s?.value.currency) : Math.abs(d).toLocaleString('en-GB')
    return d === 0 ? 'same' : `${d > 0 ? '+' : '−'}${said}`
  }
  return (
    <Paper withBorder p="sm" radius="sm" mt="md" data-testid="dry-run">
      <Text fw={600} size="sm">
        Dry run: what it would have given
      </Text>
      <Group gap="xs" mt={4} align="flex-end" wrap="wrap">
        <TextInput label="From" type="date" value={period.from} onChange={(e) => setPeriod({ ...period, from: e.currentTarget.value })} w={160} />
        <TextInput label="To" type="date" value={period.to} onChange={(e) => setPeriod({ ...period, to: e.currentTarget.value })} w={160} />
      </Group>
      {s && (
        <>
          <Text size="xs" c="dimmed" mt="xs">
            {s.activitiesReplayed.toLocaleString('en-GB')} {s.activitiesReplayed === 1 ? 'activity' : 'activities'} replayed over {s.days} days, beside the
            other rules in force. Nothing is written.
          </Text>
          <Table mt="xs" fz="sm" aria-label="Dry run" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                <Table.Th ta="right">This draft</Table.Th>
                {s.current && <Table.Th ta="right">Now (v{s.current.version})</Table.Th>}
                {s.current && <Table.Th ta="right">Change</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map(([label, draft, current, isMoney]) => (
                <Table.Tr key={String(label)}>
                  <Table.Td>{label}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {show(draft as number, isMoney as boolean)}
                  </Table.Td>
                  {s.current && <Table.Td ta="right">{show(current as number, isMoney as boolean)}</Table.Td>}
                  {s.current && <Table.Td ta="right">{change(draft as number, current as number, isMoney as boolean)}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {!s.current && editing === null && (
            <Text size="xs" c="dimmed" mt={4}>
              A new rule: nothing to compare with yet.
            </Text>
          )}
        </>
      )}
    </Paper>
  )
}
