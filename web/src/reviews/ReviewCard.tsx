import { Badge, Button, Group, Paper, Rating, Stack, Text, Textarea } from '@mantine/core'
import { IconRosetteDiscountCheck, IconThumbUp, IconThumbUpFilled } from '@tabler/icons-react'
import { useState } from 'react'
import { api, type Review } from '../api'
import { ReportButton } from '../components/Moderation'
import { ProblemAlert, submit } from '../components/ui'
import { date } from '../format'
import { fitWords, ServerHtml, StatusBadge, useProductChange } from './words'

/** The staff badge: one of our associates, with their store. */
export function StaffBadge({ name, storeName }: { name: string; storeName: string | null }) {
  return (
    <Group gap={6} wrap="wrap">
      <Badge size="sm" color="teal" variant="filled" leftSection={<IconRosetteDiscountCheck size={12} />}>
        Staff
      </Badge>
      <Text size="xs" fw={600}>
        {name}
        {storeName ? ` · ${storeName}` : ''}
      </Text>
    </Group>
  )
}

/**
 * One review as a shopper reads it: stars, title, who wrote it (verified purchase), how it fits, the
 * text, helpful votes and the shop's replies. Members mark others' reviews helpful and report them;
 * staff reply in place.
 */
export function ReviewCard({ review, viewer, onEdit }: { review: Review; viewer: 'member' | 'staff'; onEdit?: () => void }) {
  const helpful = useProductChange(review.sku, () => api(review.votedHelpful ? 'DELETE' : 'PUT', `/reviews/${review.reviewId}/helpful`))
  return (
    <Paper withBorder p="md" radius="md" data-testid="review" bg={review.mine ? 'teal.0' : undefined}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs" wrap="nowrap">
            <Rating value={review.rating} readOnly size="sm" aria-label={`${review.rating} out of 5 stars`} />
            <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
              {review.title}
            </Text>
          </Group>
          <StatusBadge status={review.status} />
        </Group>
        <Group gap="xs" wrap="wrap">
          <Text size="xs" c="dimmed">
            {review.mine ? 'You' : review.author.name} · {date(review.postedAt)}
            {review.edited ? ` · edited ${date(review.editedAt)}` : ''}
          </Text>
          {review.author.verifiedPurchase && (
            <Badge size="sm" variant="light" color="teal" leftSection={<IconRosetteDiscountCheck size={12} />} data-testid="verified-purchase">
              Verified purchase
            </Badge>
          )}
          {review.fit && (
            <Badge size="sm" variant="outline" color="gray">
              {fitWords[review.fit]}
            </Badge>
          )}
        </Group>
        <ServerHtml html={review.bodyHtml} />
        {review.replies.map((reply) => (
          <Paper key={reply.replyId} p="xs" radius="sm" bg="gray.0" ml={{ base: 0, sm: 'md' }} data-testid="review-reply">
            <StaffBadge name={reply.authorName} storeName={reply.storeName} />
            <ServerHtml html={reply.bodyHtml} />
          </Paper>
        ))}
        <Group gap="xs" justify="space-between" wrap="wrap">
          <Group gap="xs">
            {viewer === 'member' && !review.mine && review.status === 'published' ? (
              <Button
                size="compact-sm"
                variant={review.votedHelpful ? 'light' : 'subtle'}
                leftSection={review.votedHelpful ? <IconThumbUpFilled size={14} /> : <IconThumbUp size={14} />}
                onClick={() => helpful.mutate(undefined)}
                loading={helpful.isPending}
                aria-pressed={review.votedHelpful}
              >
                Helpful{review.helpful > 0 ? ` (${review.helpful})` : ''}
              </Button>
            ) : (
              review.helpful > 0 && (
                <Text size="xs" c="dimmed">
                  {review.helpful === 1 ? '1 shopper found it helpful' : `${review.helpful} shoppers found it helpful`}
                </Text>
              )
            )}
            {review.mine && onEdit && (
              <Button size="compact-sm" variant="light" onClick={onEdit}>
                Edit my review
              </Button>
            )}
          </Group>
          {viewer === 'member' && !review.mine && review.status === 'published' && <ReportButton kind="review" contentId={review.reviewId} />}
        </Group>
        <ProblemAlert error={helpful.error} />
        {viewer === 'staff' && review.status === 'published' && <ReplyForm review={review} />}
      </Stack>
    </Paper>
  )
}

/** Staff answer a review as the shop, signed with their name and store. */
function ReplyForm({ review }: { review: Review }) {
  const [open, setOpen] = useState(false)
  const [body, setBody] = useState('')
  const reply = useProductChange(
    review.sku,
    () => api('POST', `/reviews/${review.reviewId}/replies`, { body: body.trim() }),
    () => {
      setBody('')
      setOpen(false)
    },
  )
  if (!open)
    return (
      <Group>
        <Button size="compact-sm" variant="subtle" onClick={() => setOpen(true)}>
          Reply as the shop
        </Button>
      </Group>
    )
  return (
    <form onSubmit={submit(() => reply.mutate(undefined))}>
      <Stack gap="xs">
        <Textarea
          label="Your reply (shown with your name, your store and the staff badge)"
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          maxLength={3000}
          autosize
          minRows={2}
          autoFocus
        />
        <Group gap="xs">
          <Button type="submit" size="compact-sm" disabled={!body.trim()} loading={reply.isPending}>
            Post the reply
          </Button>
          <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </Group>
        <ProblemAlert error={reply.error} />
      </Stack>
    </form>
  )
}
