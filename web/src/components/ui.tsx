import { Alert, Button, Center, Group, Paper, Stack, Text, TextInput, ThemeIcon, Title } from '@mantine/core'
import { IconAlertTriangle, IconDownload, IconMoodEmpty } from '@tabler/icons-react'
import type { ReactNode } from 'react'
import { Problem } from '../api'

/** What went wrong, in the API's words: each field's refusal is a sentence naming it as a person would (never a path). */
export function ProblemAlert({ error, title = 'That did not work' }: { error: unknown; title?: string }) {
  if (!error) return null
  const problem = error instanceof Problem ? error : undefined
  return (
    <Alert color="red" icon={<IconAlertTriangle size={18} />} title={problem?.title ?? title} role="alert">
      {problem?.detail ?? (error instanceof Error ? error.message : String(error))}
      {problem && problem.errors.length > 1 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
          {problem.errors.map((e) => (
            <li key={e.field + e.message}>{e.message}</li>
          ))}
        </ul>
      )}
    </Alert>
  )
}

/** A helpful empty state: says what would be here and how it gets here. */
export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <Center py="xl">
      <Stack align="center" gap={6} maw={420} ta="center">
        <ThemeIcon variant="light" size={48} radius="xl" color="gray">
          {icon ?? <IconMoodEmpty size={26} />}
        </ThemeIcon>
        <Text fw={600}>{title}</Text>
        {children && (
          <Text size="sm" c="dimmed">
            {children}
          </Text>
        )}
      </Stack>
    </Center>
  )
}

export function PageTitle({ children, right }: { children: ReactNode; right?: ReactNode }) {
  return (
    <Group justify="space-between" align="flex-end" mb="md" wrap="wrap" gap="xs">
      <Title order={2}>{children}</Title>
      {right}
    </Group>
  )
}

/** A headline figure on a card: "Members 300". */
export function Figure({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="xs" tt="uppercase" fw={700} c="dimmed">
        {label}
      </Text>
      <Text fz={{ base: 22, sm: 28 }} fw={700} lh={1.2}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  )
}

export function Section({ title, children, right, testId }: { title: string; children: ReactNode; right?: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md" radius="md" data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap" align="flex-start">
        <Title order={4} style={{ minWidth: 0 }}>
          {title}
        </Title>
        {right && <div style={{ flexShrink: 0 }}>{right}</div>}
      </Group>
      {children}
    </Paper>
  )
}

/** A form's submit handler: no page reload, then the action (usually a mutation). */
export const submit =
  (action: () => void) =>
  (event: { preventDefault(): void }): void => {
    event.preventDefault()
    action()
  }

/** Downloads a table as CSV: the same API path with `format=csv` (the session cookie goes along). */
export function CsvLink({ path }: { path: string }) {
  const href = `/v1${path}${path.includes('?') ? '&' : '?'}format=csv`
  return (
    <Button component="a" href={href} download variant="subtle" size="compact-sm" leftSection={<IconDownload size={14} />}>
      CSV
    </Button>
  )
}

/** The six-digit code we sent to an email or phone: one field, so phones offer the code from the message. */
export function CodeInput({ value, onChange, autoFocus, w }: { value: string; onChange: (code: string) => void; autoFocus?: boolean; w?: number }) {
  return (
    <TextInput
      label="Code"
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      required
      autoFocus={autoFocus}
      w={w}
    />
  )
}
