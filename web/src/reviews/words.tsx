import { Badge, Typography } from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { Review } from '../api'

/** How a review fits, as shoppers say it. */
export const fitWords: Record<NonNullable<Review['fit']>, string> = {
  runs_small: 'Runs small',
  true_to_size: 'True to size',
  runs_large: 'Runs large',
}

/** A post that is not (yet) for everyone: only its author sees this badge. */
export function StatusBadge({ status }: { status: Review['status'] }) {
  if (status === 'published') return null
  return (
    <Badge size="sm" variant="light" color={status === 'held' ? 'yellow' : 'red'}>
      {status === 'held' ? 'Waiting for a moderator: only you see it' : 'Hidden by a moderator'}
    </Badge>
  )
}

/** Short words for a post's status, for lists of one's own posts. */
export const statusLabel: Record<Review['status'], { label: string; color: string }> = {
  published: { label: 'Published', color: 'teal' },
  held: { label: 'Waiting for a moderator', color: 'yellow' },
  hidden: { label: 'Hidden by a moderator', color: 'red' },
}

/**
 * Members' text as the server rendered it: `bodyHtml` comes only from the server's sanitiser
 * (src/modules/community/reviews/render.ts: markdown-it without HTML, then sanitize-html's
 * allow-list), so it is the one HTML this app puts in as HTML. Never pass it anything else.
 */
export function ServerHtml({ html }: { html: string }) {
  return (
    <Typography fz="sm" style={{ overflowWrap: 'anywhere' }}>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by the server (render.ts), see above */}
      <div className="member-text" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  )
}

/** A change on a product's page: its reviews and questions, and the member's and associate's lists, are read again. */
export function useProductChange<T, R = unknown>(sku: string, fn: (arg: T) => Promise<R>, onSuccess?: (result: R) => void) {
  const client = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: (result) => {
      for (const key of [['product', sku], ['me', 'reviews'], ['me', 'questions'], ['associate-questions']]) client.invalidateQueries({ queryKey: key })
      onSuccess?.(result)
    },
  })
}
