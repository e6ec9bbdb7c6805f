import { Badge, Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core'
import { IconAward, IconShoppingBagCheck } from '@tabler/icons-react'
import { useState } from 'react'
import { api, type Question, type QuestionAnswer } from '../api'
import { ReportButton } from '../components/Moderation'
import { ProblemAlert, submit } from '../components/ui'
import { date } from '../format'
import { StaffBadge } from './ReviewCard'
import { ServerHtml, StatusBadge, useProductChange } from './words'

/** Who answered: an associate with the staff badge and their store, or a member (with "Bought it"). */
function AnswerAuthor({ answer }: { answer: QuestionAnswer }) {
  if (answer.author.staffBadge) return <StaffBadge name={answer.author.name} storeName={answer.author.storeName} />
  return (
    <Group gap={6} wrap="wrap">
      <Text size="xs" fw={600}>
        {answer.mine ? 'You' : answer.author.name}
      </Text>
      {answer.author.boughtIt && (
        <Badge size="sm" variant="light" color="teal" leftSection={<IconShoppingBagCheck size={12} />}>
          Bought it
        </Badge>
      )}
    </Group>
  )
}

/**
 * A question with its answers, the best one first. The asker chooses the best answer; whoever may
 * answer (a member who bought it, an associate) answers in place; members report others' posts.
 */
export function QuestionCard({ question, viewer, mayAnswer }: { question: Question; viewer: 'member' | 'staff'; mayAnswer: boolean }) {
  const best = useProductChange(question.sku, (answerId: string) => api('PUT', `/questions/${question.questionId}/best-answer`, { answerId }))
  return (
    <Paper withBorder p="md" radius="md" data-testid="question">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs" align="flex-start">
          <div style={{ minWidth: 0, flex: 1 }}>
            <Text fw={600} component="div">
              <ServerHtml html={question.bodyHtml} />
            </Text>
            <Text size="xs" c="dimmed">
              Asked by {question.mine ? 'you' : question.askedBy.name} · {date(question.askedAt)}
            </Text>
          </div>
          <StatusBadge status={question.status} />
        </Group>
        {question.answers.length === 0 && question.status === 'published' && (
          <Text size="sm" c="dimmed">
            No answers yet: our associates and shoppers who bought it are asked.
          </Text>
        )}
        {question.answers.map((answer) => (
          <Paper key={answer.answerId} p="xs" radius="sm" bg={answer.best ? 'teal.0' : 'gray.0'} data-testid="answer">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <AnswerAuthor answer={answer} />
              <Group gap="xs">
                {answer.best && (
                  <Badge size="sm" color="teal" leftSection={<IconAward size={12} />}>
                    Best answer
                  </Badge>
                )}
                <StatusBadge status={answer.status} />
              </Group>
            </Group>
            <ServerHtml html={answer.bodyHtml} />
            <Group justify="space-between" gap="xs">
              <Text size="xs" c="dimmed">
                {date(answer.answeredAt)}
              </Text>
              <Group gap="xs">
                {question.mine && !answer.best && answer.status === 'published' && (
                  <Button size="compact-xs" variant="light" onClick={() => best.mutate(answer.answerId)} loading={best.isPending}>
                    Choose as best answer
                  </Button>
                )}
                {viewer === 'member' && !answer.mine && answer.status === 'published' && <ReportButton kind="answer" contentId={answer.answerId} />}
              </Group>
            </Group>
          </Paper>
        ))}
        <ProblemAlert error={best.error} />
        {question.status === 'published' && !question.mine && mayAnswer && <AnswerForm question={question} viewer={viewer} />}
        {viewer === 'member' && !question.mine && question.status === 'published' && (
          <Group justify="flex-end">
            <ReportButton kind="question" contentId={question.questionId} />
          </Group>
        )}
      </Stack>
    </Paper>
  )
}

/** An answer in place: an associate's carries the staff badge and their store. */
export function AnswerForm({ question, viewer, onAnswered }: { question: Question; viewer: 'member' | 'staff'; onAnswered?: () => void }) {
  const [open, setOpen] = useState(false)
  const [body, setBody] = useState('')
  const answer = useProductChange(
    question.sku,
    () => api<Question>('POST', `/questions/${question.questionId}/answers`, { body: body.trim() }),
    () => {
      setBody('')
      setOpen(false)
      onAnswered?.()
    },
  )
  if (!open)
    return (
      <Group>
        <Button size="compact-sm" variant="light" onClick={() => setOpen(true)}>
          {viewer === 'staff' ? 'Answer as staff' : 'Answer it'}
        </Button>
      </Group>
    )
  return (
    <form onSubmit={submit(() => answer.mutate(undefined))}>
      <Stack gap="xs">
        <Textarea
          label={viewer === 'staff' ? 'Your answer (shown with the staff badge, your name and your store)' : 'Your answer'}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          maxLength={3000}
          autosize
          minRows={2}
          autoFocus
        />
        <Group gap="xs">
          <Button type="submit" size="compact-sm" disabled={!body.trim()} loading={answer.isPending}>
            Post the answer
          </Button>
          <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setOpen(false)}>
            Cancel
          </Button>
        </Group>
        <ProblemAlert error={answer.error} />
      </Stack>
    </form>
  )
}

/** A member asks about the product; a held question says so. */
export function AskQuestion({ sku }: { sku: string }) {
  const [body, setBody] = useState('')
  const [tooShort, setTooShort] = useState(false)
  const ask = useProductChange(
    sku,
    () => api<Question>('POST', `/products/${encodeURIComponent(sku)}/questions`, { body: body.trim() }),
    () => setBody(''),
  )
  return (
    <form
      onSubmit={submit(() => {
        const short = body.trim().length < 3
        setTooShort(short)
        if (!short) ask.mutate(undefined)
      })}
      noValidate
    >
      <Stack gap="xs">
        <Textarea
          label="Ask about it"
          description="Our associates and shoppers who bought it answer."
          placeholder="Does it wash well?"
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={tooShort ? 'Ask your question in a few words' : undefined}
          maxLength={1000}
          autosize
          minRows={2}
        />
        <Group>
          <Button type="submit" size="compact-sm" loading={ask.isPending}>
            Ask
          </Button>
        </Group>
        {ask.data && ask.data.status !== 'published' && (
          <Text size="sm" c="yellow.9" role="status">
            Thank you: a moderator will read your question before other shoppers see it.
          </Text>
        )}
        <ProblemAlert error={ask.error} />
      </Stack>
    </form>
  )
}
