import { Badge, Button, Grid, Group, Loader, Paper, Progress, Rating, Select, Stack, Text, Title } from '@mantine/core'
import { IconPencil } from '@tabler/icons-react'
import { useQuery } from '@tanstack/react-query'
import { useParams } from '@tanstack/react-router'
import { useState } from 'react'
import { get, type ProductQuestions, type ProductReviews, type ProductShown } from '../api'
import { EmptyState, ProblemAlert, Section } from '../components/ui'
import { money } from '../format'
import { AskQuestion, QuestionCard } from '../reviews/Questions'
import { ReviewCard } from '../reviews/ReviewCard'
import { ReviewForm } from '../reviews/ReviewForm'
import { fitWords } from '../reviews/words'
import { useSession } from '../session'

type Order = 'newest' | 'helpful' | 'highest' | 'lowest'

/**
 * A product's page: what it is and costs, its reviews (the member writes or edits their one review),
 * and its questions with their answers. The reviews widget on the retailer's web shop links here.
 */
export function ProductPage() {
  const { sku } = useParams({ from: '/app/products/$sku' })
  const session = useSession()
  const viewer = session?.user.role === 'member' ? 'member' : 'staff'
  const [order, setOrder] = useState<Order>('newest')
  const [writing, setWriting] = useState(false)
  const path = `/products/${encodeURIComponent(sku)}`
  const reviews = useQuery({ queryKey: ['product', sku, 'reviews', order], queryFn: () => get<ProductReviews>(`${path}/reviews?order=${order}`) })
  const questions = useQuery({ queryKey: ['product', sku, 'questions'], queryFn: () => get<ProductQuestions>(`${path}/questions`) })
  if (reviews.isPending) return <Loader />
  if (!reviews.data) return <ProblemAlert error={reviews.error} title="This product cannot be shown" />
  const { product, summary } = reviews.data
  const mine = reviews.data.reviews.find((r) => r.mine)
  const others = reviews.data.reviews.filter((r) => !(writing && r.mine))
  return (
    <Stack data-testid="product-page" maw={1100} mx="auto">
      <ProductHeader product={product} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section
            title="Reviews"
            testId="product-reviews"
            right={
              summary.count > 1 && (
                <Select
                  aria-label="Order reviews by"
                  size="xs"
                  w={150}
                  value={order}
                  onChange={(v) => v && setOrder(v as Order)}
                  allowDeselect={false}
                  data={[
                    { value: 'newest', label: 'Newest first' },
                    { value: 'helpful', label: 'Most helpful' },
                    { value: 'highest', label: 'Highest rated' },
                    { value: 'lowest', label: 'Lowest rated' },
                  ]}
                />
              )
            }
          >
            <Stack gap="sm">
              <ReviewSummary summary={summary} />
              {viewer === 'member' && !mine && !writing && (
                <Group>
                  <Button leftSection={<IconPencil size={16} />} onClick={() => setWriting(true)}>
                    Write a review
                  </Button>
                </Group>
              )}
              {viewer === 'member' && writing && (
                <Paper withBorder p="md" radius="md">
                  <ReviewForm sku={sku} productName={product.name} mine={mine} onDone={() => setWriting(false)} />
                </Paper>
              )}
              {others.length === 0 && !writing && (
                <EmptyState title="No reviews yet">
                  {viewer === 'member' ? 'Bought it? Tell other shoppers what you thought.' : 'Shoppers’ reviews appear here.'}
                </EmptyState>
              )}
              {others.map((review) => (
                <ReviewCard key={review.reviewId} review={review} viewer={viewer} onEdit={() => setWriting(true)} />
              ))}
            </Stack>
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section title="Questions" testId="product-questions">
            <Stack gap="sm">
              {viewer === 'member' && <AskQuestion sku={sku} />}
              <ProblemAlert error={questions.error} />
              {questions.isPending && <Loader size="sm" />}
              {questions.data?.questions.length === 0 && <Text c="dimmed">No questions yet.</Text>}
              {questions.data?.questions.map((question) => (
                <QuestionCard key={question.questionId} question={question} viewer={viewer} mayAnswer={questions.data.mayAnswer} />
              ))}
              {viewer === 'member' && questions.data && !questions.data.mayAnswer && questions.data.questions.length > 0 && (
                <Text size="xs" c="dimmed">
                  Answers come from shoppers who bought it and from our associates.
                </Text>
              )}
            </Stack>
          </Section>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

function ProductHeader({ product }: { product: ProductShown }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid="product-header">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Title order={2} style={{ overflowWrap: 'anywhere' }}>
            {product.name}
          </Title>
          <Text size="sm" c="dimmed">
            {[product.brand, product.category.join(' › ')].filter(Boolean).join(' · ') || product.sku}
          </Text>
        </div>
        <Stack gap={4} align="flex-end">
          <Text fz={24} fw={700} lh={1.1} data-testid="product-price">
            {product.priceMinor === null ? 'Price in store' : money(product.priceMinor, product.currency)}
          </Text>
          <Badge color={product.inStock ? 'teal' : 'gray'} variant="light" data-testid="product-stock">
            {product.inStock ? 'In stock' : 'Out of stock'}
          </Badge>
        </Stack>
      </Group>
    </Paper>
  )
}

/** The average, the stars' spread and how it fits, over published reviews. */
function ReviewSummary({ summary }: { summary: ProductReviews['summary'] }) {
  if (summary.count === 0) return null
  const fits = Object.entries(summary.fit).filter(([, n]) => n > 0) as [keyof typeof fitWords, number][]
  return (
    <Group align="flex-start" gap="lg" wrap="wrap" data-testid="review-summary">
      <Stack gap={2} align="center">
        <Text fz={32} fw={700} lh={1}>
          {summary.average?.toFixed(1)}
        </Text>
        <Rating value={summary.average ?? 0} fractions={10} readOnly size="sm" aria-label={`${summary.average} out of 5 stars on average`} />
        <Text size="xs" c="dimmed">
          {summary.count === 1 ? '1 review' : `${summary.count} reviews`}
        </Text>
      </Stack>
      <Stack gap={2} style={{ flex: 1, minWidth: 160 }}>
        {[5, 4, 3, 2, 1].map((star) => {
          const n = summary.stars[String(star)] ?? 0
          return (
            <Group key={star} gap="xs" wrap="nowrap">
              <Text size="xs" w={44}>
                {star} {star === 1 ? 'star' : 'stars'}
              </Text>
              <Progress value={(100 * n) / summary.count} size="sm" style={{ flex: 1 }} aria-label={`${n} with ${star} stars`} />
              <Text size="xs" w={20} ta="right">
                {n}
              </Text>
            </Group>
          )
        })}
        {fits.length > 0 && (
          <Text size="xs" c="dimmed" mt={4} data-testid="fit-summary">
            How it fits: {fits.map(([fit, n]) => `${fitWords[fit]} ${n}`).join(' · ')}
          </Text>
        )}
      </Stack>
    </Group>
  )
}
