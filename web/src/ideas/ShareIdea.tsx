import { Button, Modal, SimpleGrid, Stack } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { notifications } from '@mantine/notifications'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useForm } from 'react-hook-form'
import { api, get, type IdeaPage, type IdeaPlaces, type NewIdea } from '../api'
import { markRefused, SelectField, TextareaField, TextField } from '../components/form'
import { ProblemAlert } from '../components/ui'
import { useIdeaChange } from './queries'

type Draft = { kind: NewIdea['kind']; title: string; body: string; scope: NewIdea['scope']; storeId: string; region: string; category: string }
const blank: Draft = { kind: 'product', title: '', body: '', scope: 'retailer', storeId: '', region: '', category: '' }

/** "Share an idea": what it is, why, and where it is for (the whole shop, a region, a store or a category). */
export function ShareIdea() {
  const [opened, modal] = useDisclosure(false)
  const navigate = useNavigate()
  const places = useQuery({ queryKey: ['idea-places'], queryFn: () => get<IdeaPlaces>('/ideas/places'), enabled: opened })
  const form = useForm<Draft>({ defaultValues: blank })
  const scope = form.watch('scope')
  const share = useIdeaChange(
    (d: Draft) =>
      api<IdeaPage>('POST', '/ideas', {
        kind: d.kind,
        title: d.title,
        body: d.body,
        scope: d.scope,
        ...(d.scope === 'store' ? { storeId: d.storeId } : {}),
        ...(d.scope === 'region' ? { region: d.region } : {}),
        ...(d.category ? { category: d.category } : {}),
      }),
    (page) => {
      notifications.show({ color: 'teal', message: 'Thanks! Your idea is on the board.' })
      modal.close()
      form.reset(blank)
      navigate({ to: '/ideas/$ideaId', params: { ideaId: page.idea.id } })
    },
  )
  return (
    <>
      <Button onClick={modal.open} color="teal">
        Share an idea
      </Button>
      <Modal opened={opened} onClose={modal.close} title="Share an idea" size="lg">
        <form onSubmit={form.handleSubmit((d) => share.mutate(d, { onError: (e) => markRefused(form, e) }))} noValidate>
          <Stack>
            <SelectField
              form={form}
              name="kind"
              label="What is it?"
              data={[
                { value: 'product', label: 'A product you would like us to stock' },
                { value: 'range', label: 'A change to a range' },
                { value: 'service', label: 'A service in store' },
              ]}
            />
            <TextField
              form={form}
              name="title"
              label="Your idea, in a line"
              placeholder="Oat milk flat whites"
              rules={{
                required: 'Say what you would like',
                minLength: { value: 4, message: 'A few words, at least 4 letters' },
                maxLength: { value: 120, message: 'Up to 120 characters' },
              }}
            />
            <TextareaField
              form={form}
              name="body"
              label="Why, and what would it be like?"
              autosize
              minRows={3}
              rules={{ required: 'Tell us a little more', maxLength: { value: 4000, message: 'Up to 4,000 characters' } }}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
              <SelectField
                form={form}
                name="scope"
                label="For"
                data={[
                  { value: 'retailer', label: 'Every shop' },
                  { value: 'region', label: 'A region' },
                  { value: 'store', label: 'One store' },
                  { value: 'category', label: 'A category' },
                ]}
              />
              {scope === 'store' && (
                <SelectField
                  form={form}
                  name="storeId"
                  label="Which store"
                  searchable
                  data={(places.data?.stores ?? []).map((s) => ({ value: s.id, label: s.name }))}
                  rules={{ required: 'Pick the store' }}
                />
              )}
              {scope === 'region' && (
                <SelectField form={form} name="region" label="Which region" data={places.data?.regions ?? []} rules={{ required: 'Pick the region' }} />
              )}
            </SimpleGrid>
            <SelectField
              form={form}
              name="category"
              label={scope === 'category' ? 'Which category' : 'Category (if it is about one)'}
              description="Votes from members who buy in it count more"
              searchable
              clearable
              data={places.data?.categories ?? []}
              rules={scope === 'category' ? { required: 'Pick the category' } : undefined}
            />
            <ProblemAlert error={share.error} />
            <Button type="submit" loading={share.isPending}>
              Share it
            </Button>
          </Stack>
        </form>
      </Modal>
    </>
  )
}
