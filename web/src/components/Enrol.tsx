import { Button, Group, Modal, SimpleGrid, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconUserPlus } from '@tabler/icons-react'
import { useMutation } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { api, type Enrolled, type LinkedIdentifier } from '../api'
import { markRefused, TextField } from './form'
import { CodeInput, ProblemAlert, submit } from './ui'

type Draft = { givenName: string; familyName: string; identifier: string }

/** What the one identifier typed is: an email has an @, a phone starts with + or 0 and is 10–13 digits, anything else is a card. */
function kindOf(value: string): 'email' | 'phone' | 'card' {
  const compact = value.replace(/[\s-]/g, '')
  if (value.includes('@')) return 'email'
  if (/^(\+|0)\d{9,12}$/.test(compact)) return 'phone'
  return 'card'
}

/**
 * Joining a shopper at the till in a few seconds: a name and one card, email or phone. A card is
 * theirs at once; an email or phone gets a code, which the associate asks for and enters (or the
 * member enters later at home). Then the member's page opens.
 */
export function EnrolButton({ initial = '' }: { initial?: string }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button variant="light" leftSection={<IconUserPlus size={16} />} onClick={() => setOpen(true)}>
        Join a new member
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title="Join a new member" centered>
        {open && <EnrolForm initial={initial} onDone={() => setOpen(false)} />}
      </Modal>
    </>
  )
}

function EnrolForm({ initial, onDone }: { initial: string; onDone: () => void }) {
  const navigate = useNavigate()
  const form = useForm<Draft>({ defaultValues: { givenName: '', familyName: '', identifier: initial } })
  const [joined, setJoined] = useState<Enrolled | null>(null)
  const [code, setCode] = useState('')
  const open = (memberId: string) => {
    onDone()
    navigate({ to: '/associate/members/$memberId', params: { memberId } })
  }
  const enrol = useMutation({
    mutationFn: (draft: Draft) =>
      api<Enrolled>('POST', '/members', {
        givenName: draft.givenName.trim(),
        ...(draft.familyName.trim() ? { familyName: draft.familyName.trim() } : {}),
        identifier: { kind: kindOf(draft.identifier.trim()), value: draft.identifier.trim() },
      }),
    onSuccess: (result) => {
      notifications.show({ color: 'teal', message: `${result.displayName} joined.` })
      if (result.codeSent) setJoined(result)
      else open(result.memberId)
    },
    onError: (error) => markRefused(form, error, {}),
  })
  const verify = useMutation({
    mutationFn: (j: Enrolled) => api<LinkedIdentifier>('POST', `/members/${j.memberId}/identifiers/verify`, { kind: j.kind, value: j.value, code }),
    onSuccess: (result, j) => {
      notifications.show({ color: 'teal', message: `${result.value} is verified.` })
      open(j.memberId)
    },
  })
  if (joined)
    return (
      <form onSubmit={submit(() => verify.mutate(joined))}>
        <Stack>
          <Text>
            We sent a code to <b>{joined.value}</b>. Ask {joined.displayName.split(' ')[0]} for it; it works for 15 minutes.
          </Text>
          <CodeInput value={code} onChange={setCode} autoFocus w={160} />
          <ProblemAlert error={verify.error} />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => open(joined.memberId)}>
              Verify later
            </Button>
            <Button type="submit" loading={verify.isPending}>
              Verify
            </Button>
          </Group>
        </Stack>
      </form>
    )
  return (
    <form onSubmit={form.handleSubmit((draft) => enrol.mutate(draft))} noValidate>
      <Stack>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs">
          <TextField
            form={form}
            name="givenName"
            label="First name"
            autoFocus
            rules={{
              validate: (v) => v.trim() !== '' || 'Write their first name',
              maxLength: { value: 100, message: 'Up to 100 characters' },
            }}
          />
          <TextField form={form} name="familyName" label="Last name" rules={{ maxLength: { value: 100, message: 'Up to 100 characters' } }} />
        </SimpleGrid>
        <TextField
          form={form}
          name="identifier"
          label="Card, email or phone"
          description="Scan the new card, or type their email or mobile: we send a code to verify it"
          rules={{
            validate: (v) => {
              const value = v.trim()
              if (!value) return 'Scan a card or type an email or phone'
              if (kindOf(value) === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return "That email doesn't look right"
              return true
            },
          }}
        />
        <ProblemAlert error={enrol.error} />
        <Group justify="flex-end">
          <Button type="submit" loading={enrol.isPending}>
            Join
          </Button>
        </Group>
      </Stack>
    </form>
  )
}
