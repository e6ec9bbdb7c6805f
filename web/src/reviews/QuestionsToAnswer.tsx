import { Badge, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { get, type Question } from '../api'
import { ProblemAlert, Section } from '../components/ui'
import { date } from '../format'
import { AnswerForm } from './Questions'
import { ServerHtml } from './words'

/**
 * The console's "Questions to answer": shoppers' questions nobody has answered yet, about products
 * the associate's stores sell, oldest first; answered in place, with the staff badge and the store.
 */
export function QuestionsToAnswer() {
  const open = useQuery({ queryKey: ['associate-questions'], queryFn: () => get<{ items: Question[] }>('/associate/questions') })
  if (open.data?.items.length === 0) return null
  return (
    <Section title="Questions to answer" testId="questions-to-answer" right={open.data && <Badge variant="light">{open.data.items.length}</Badge>}>
      <ProblemAlert error={open.error} />
      <Stack gap="sm">
        {open.data?.items.map((question, i, all) => (
          <Stack
            key={question.questionId}
            gap={4}
            data-testid="question-to-answer"
            pb={i < all.length - 1 ? 'sm' : 0}
            style={i < all.length - 1 ? { borderBottom: '1px solid var(--mantine-color-gray-2)' } : undefined}
          >
            <Link
              to="/products/$sku"
              params={{ sku: question.sku }}
              style={{ fontWeight: 600, color: 'var(--mantine-color-teal-8)', overflowWrap: 'anywhere' }}
            >
              {question.productName}
            </Link>
            <ServerHtml html={question.bodyHtml} />
            <Text size="xs" c="dimmed">
              Asked by {question.askedBy.name} · {date(question.askedAt)}
            </Text>
            <AnswerForm question={question} viewer="staff" />
          </Stack>
        ))}
      </Stack>
    </Section>
  )
}
