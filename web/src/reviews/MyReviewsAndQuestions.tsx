import { Badge, Group, Rating, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { get, type Question, type Review } from '../api'
import { EmptyState, ProblemAlert, Section } from '../components/ui'
import { date } from '../format'
import { statusLabel } from './words'

const productLink = { fontWeight: 600, color: 'var(--mantine-color-dark-7)', textDecoration: 'none', overflowWrap: 'anywhere' } as const

/** Whether a question has its answer yet, in a few words. */
function answeredWords(question: Question) {
  const published = question.answers.filter((a) => a.status === 'published')
  if (question.status !== 'published') return { label: statusLabel[question.status].label, color: statusLabel[question.status].color }
  if (published.length === 0) return { label: 'Not answered yet', color: 'gray' }
  if (question.bestAnswerId) return { label: 'Answered · best chosen', color: 'teal' }
  return { label: published.length === 1 ? '1 answer' : `${published.length} answers`, color: 'teal' }
}

/** The member home's card: my reviews with their status, my questions and whether they are answered, each linking to its product. */
export function MyReviewsAndQuestions() {
  const reviews = useQuery({ queryKey: ['me', 'reviews'], queryFn: () => get<{ items: Review[] }>('/me/reviews') })
  const questions = useQuery({ queryKey: ['me', 'questions'], queryFn: () => get<{ items: Question[] }>('/me/questions') })
  const none = reviews.data?.items.length === 0 && questions.data?.items.length === 0
  return (
    <Section title="My reviews and questions" testId="my-reviews">
      <ProblemAlert error={reviews.error ?? questions.error} />
      {none && <EmptyState title="Nothing yet">Review something you bought, or ask about it, from its product page.</EmptyState>}
      <Stack gap="xs">
        {reviews.data?.items.slice(0, 5).map((review) => (
          <Group key={review.reviewId} justify="space-between" wrap="nowrap" align="flex-start" gap="xs" data-testid="my-review">
            <Stack gap={0} style={{ minWidth: 0 }}>
              <Link to="/products/$sku" params={{ sku: review.sku }} style={productLink}>
                {review.productName}
              </Link>
              <Group gap={6} wrap="nowrap">
                <Rating value={review.rating} readOnly size="xs" aria-label={`${review.rating} out of 5 stars`} />
                <Text size="xs" c="dimmed" truncate>
                  {review.title}
                </Text>
              </Group>
            </Stack>
            <Badge size="sm" variant="light" color={statusLabel[review.status].color} style={{ flexShrink: 0 }}>
              {statusLabel[review.status].label}
            </Badge>
          </Group>
        ))}
        {questions.data?.items.slice(0, 5).map((question) => {
          const answered = answeredWords(question)
          return (
            <Group key={question.questionId} justify="space-between" wrap="nowrap" align="flex-start" gap="xs" data-testid="my-question">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Link to="/products/$sku" params={{ sku: question.sku }} style={productLink}>
                  {question.productName}
                </Link>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  You asked {date(question.askedAt)}: {question.body}
                </Text>
              </Stack>
              <Badge size="sm" variant="light" color={answered.color} style={{ flexShrink: 0 }}>
                {answered.label}
              </Badge>
            </Group>
          )
        })}
      </Stack>
    </Section>
  )
}
