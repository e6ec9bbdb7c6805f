import { Button, Group, Input, Rating, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useController, useForm } from 'react-hook-form'
import { api, type Review, type ReviewInput } from '../api'
import { markRefused, SelectField, TextareaField, TextField } from '../components/form'
import { ProblemAlert } from '../components/ui'
import { fitWords, useProductChange } from './words'

type Draft = { rating: number; title: string; body: string; fit: string }

const starWords = ['', 'Poor', 'Not great', 'All right', 'Good', 'Excellent']

/**
 * Write or edit the member's one review of a product: stars, a title, what they thought (Markdown)
 * and, for clothes and shoes, how it fits. Each field says what is missing before anything is sent.
 */
export function ReviewForm({ sku, productName, mine, onDone }: { sku: string; productName: string; mine?: Review; onDone: () => void }) {
  const form = useForm<Draft>({
    defaultValues: mine ? { rating: mine.rating, title: mine.title, body: mine.body, fit: mine.fit ?? '' } : { rating: 0, title: '', body: '', fit: '' },
  })
  const rating = useController({ control: form.control, name: 'rating', rules: { min: { value: 1, message: 'Choose from one to five stars' } } })
  const save = useProductChange(
    sku,
    (d: Draft) => {
      const body: ReviewInput = { rating: d.rating, title: d.title.trim(), body: d.body.trim(), fit: (d.fit || null) as ReviewInput['fit'] }
      return mine ? api<Review>('PUT', `/reviews/${mine.reviewId}`, body) : api<Review>('POST', `/products/${encodeURIComponent(sku)}/reviews`, body)
    },
    (review) => {
      notifications.show({
        color: review.status === 'published' ? 'teal' : 'yellow',
        message:
          review.status === 'published'
            ? mine
              ? 'Your review is updated.'
              : 'Thank you: your review is up.'
            : 'Thank you: a moderator will read it before other shoppers see it.',
      })
      onDone()
    },
  )
  return (
    <form onSubmit={form.handleSubmit((d) => save.mutate(d, { onError: (e) => markRefused(form, e) }))} noValidate data-testid="review-form">
      <Stack gap="sm">
        <Input.Wrapper label={`Your rating of ${productName}`} withAsterisk error={rating.fieldState.error?.message}>
          <Group gap="xs" mt={4}>
            <Rating
              value={rating.field.value}
              onChange={rating.field.onChange}
              size="lg"
              aria-label="Stars"
              getSymbolLabel={(n) => `${n} ${n === 1 ? 'star' : 'stars'}`}
            />
            <Text size="sm" c="dimmed">
              {starWords[rating.field.value] ?? ''}
            </Text>
          </Group>
        </Input.Wrapper>
        <TextField
          form={form}
          name="title"
          label="A title"
          placeholder="Warm, soft, worth it"
          rules={{
            validate: (v: string) => v.trim().length > 0 || 'Give your review a title',
            maxLength: { value: 120, message: 'Up to 120 characters' },
          }}
        />
        <TextareaField
          form={form}
          name="body"
          label="What did you think?"
          description="What other shoppers would want to know. *Stars* make italics, **two** make bold; links are fine, pictures and HTML are not shown."
          autosize
          minRows={4}
          rules={{
            validate: (v: string) => v.trim().length > 0 || 'Tell other shoppers what you thought',
            maxLength: { value: 5000, message: 'Up to 5,000 characters' },
          }}
        />
        <SelectField
          form={form}
          name="fit"
          label="How does it fit? (clothes and shoes)"
          placeholder="Doesn’t apply"
          clearable
          allowDeselect
          data={Object.entries(fitWords).map(([value, label]) => ({ value, label }))}
          w={{ base: '100%', sm: 260 }}
        />
        <ProblemAlert error={save.error} />
        <Group gap="xs">
          <Button type="submit" loading={save.isPending}>
            {mine ? 'Save my review' : 'Post my review'}
          </Button>
          <Button variant="subtle" color="gray" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
