import { Button, Modal, SimpleGrid, Stack } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useForm } from 'react-hook-form'
import { api, get, type IdeaPlaces, type NewPoll, type Poll } from '../api'
import { CheckboxField, markRefused, SelectField, TextareaField, TextField } from '../components/form'
import { ProblemAlert } from '../components/ui'

type Draft = {
  kind: NewPoll['kind']
  question: string
  description: string
  scope: NewPoll['scope']
  store: string
  region: string
  category: string
  endsOn: string
  options: string
  suggestionsOpen: boolean
}

/** YYYY-MM-DD of a day in the person's own time zone. */
const day = (at: Date) => `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`
const inTwoWeeks = () => day(new Date(Date.now() + 14 * 86_400_000))

/** The options as typed, one a line, blank lines left out. */
const optionsOf = (text: string) =>
  text
    .split('\n')
    .map((o) => o.trim())
    .filter(Boolean)

/** What is wrong with the options, in people's words (the server checks the same). */
export function optionsProblem(text: string): string | true {
  const options = optionsOf(text)
  if (options.length < 2) return 'Give at least two options, one a line'
  if (options.length > 60) return 'Up to 60 options'
  const long = options.find((o) => o.length > 120)
  if (long) return `“${long.slice(0, 30)}…” is longer than 120 characters`
  const seen = new Set<string>()
  for (const o of options) {
    if (seen.has(o.toLowerCase())) return `“${o}” is in the list twice`
    seen.add(o.toLowerCase())
  }
  return true
}

const blank = (): Draft => ({
  kind: 'single',
  question: '',
  description: '',
  scope: 'retailer',
  store: '',
  region: '',
  category: '',
  endsOn: inTwoWeeks(),
  options: '',
  suggestionsOpen: true,
})

/**
 * "Start a poll", for managers and admins (who may, per POST /v1/polls): a classic or a pairwise
 * poll, who it is for, when it ends and its options, each field checked in words before it is sent.
 */
export function StartPoll() {
  const [opened, modal] = useDisclosure(false)
  const navigate = useNavigate()
  const client = useQueryClient()
  const places = useQuery({ queryKey: ['idea-places'], queryFn: () => get<IdeaPlaces>('/ideas/places'), enabled: opened })
  const form = useForm<Draft>({ defaultValues: blank() })
  const [kind, scope] = form.watch(['kind', 'scope'])
  const start = useMutation({
    mutationFn: (d: Draft) =>
      api<Poll>('POST', '/polls', {
        kind: d.kind,
        question: d.question.trim(),
        ...(d.description.trim() ? { description: d.description.trim() } : {}),
        scope: d.scope,
        ...(d.scope === 'retailer' ? {} : { scopeValue: { store: d.store, region: d.region, category: d.category }[d.scope] }),
        // To the end of the day chosen, in the manager's own time zone.
        endsAt: new Date(`${d.endsOn}T23:59:59`).toISOString(),
        options: optionsOf(d.options),
        ...(d.kind === 'pairwise' ? { suggestionsOpen: d.suggestionsOpen } : {}),
      } satisfies NewPoll),
    onSuccess: (poll) => {
      client.invalidateQueries({ queryKey: ['polls'] })
      notifications.show({ color: 'teal', message: 'The poll is open: members it is for see it on their home page.' })
      modal.close()
      form.reset(blank())
      navigate({ to: '/polls/$pollId/results', params: { pollId: poll.id } })
    },
    onError: (error) => markRefused(form, error, {}),
  })
  return (
    <>
      <Button onClick={modal.open}>Start a poll</Button>
      <Modal opened={opened} onClose={modal.close} title="Start a poll" size="lg">
        <form onSubmit={form.handleSubmit((d) => start.mutate(d))} noValidate data-testid="start-poll">
          <Stack>
            <SelectField
              form={form}
              name="kind"
              label="Kind"
              data={[
                { value: 'single', label: 'Pick one option' },
                { value: 'multiple', label: 'Pick any options' },
                { value: 'pairwise', label: 'Which do you prefer? Two at a time' },
              ]}
            />
            <TextField
              form={form}
              name="question"
              label="The question"
              description="Members read it first, e.g. “Which would you rather find on our shelves?”"
              withAsterisk
              rules={{
                validate: (v: string) => v.trim().length >= 3 || 'Ask your question in a few words',
                maxLength: { value: 200, message: 'Up to 200 characters' },
              }}
            />
            <TextareaField
              form={form}
              name="description"
              label="More about it (optional)"
              autosize
              minRows={2}
              rules={{ maxLength: { value: 1000, message: 'Up to 1,000 characters' } }}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <SelectField
                form={form}
                name="scope"
                label="For"
                data={[
                  { value: 'retailer', label: 'Every member' },
                  { value: 'region', label: 'Members of a region' },
                  { value: 'store', label: 'Members of one store' },
                  { value: 'category', label: 'Members who buy in a category' },
                ]}
              />
              {scope === 'store' && (
                <SelectField
                  form={form}
                  name="store"
                  label="Which store"
                  searchable
                  data={(places.data?.stores ?? []).map((s) => ({ value: s.id, label: s.name }))}
                  rules={{ required: 'Pick the store' }}
                />
              )}
              {scope === 'region' && (
                <SelectField form={form} name="region" label="Which region" data={places.data?.regions ?? []} rules={{ required: 'Pick the region' }} />
              )}
              {scope === 'category' && (
                <SelectField
                  form={form}
                  name="category"
                  label="Which category"
                  searchable
                  data={places.data?.categories ?? []}
                  rules={{ required: 'Pick the category' }}
                />
              )}
            </SimpleGrid>
            <TextField
              form={form}
              name="endsOn"
              label="Last day"
              type="date"
              w={200}
              rules={{
                required: 'Say when it ends',
                validate: (v: string) => v >= day(new Date()) || 'The last day can’t be in the past',
              }}
            />
            <TextareaField
              form={form}
              name="options"
              label="Options, one a line"
              description="At least two, e.g. Oat milk flat white, then Cold brew on tap on the next line"
              withAsterisk
              autosize
              minRows={4}
              rules={{ validate: optionsProblem }}
            />
            {kind === 'pairwise' && <CheckboxField form={form} name="suggestionsOpen" label="Members may suggest options (you approve each first)" />}
            <ProblemAlert error={start.error} />
            <Button type="submit" loading={start.isPending}>
              Open the poll
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  )
}
