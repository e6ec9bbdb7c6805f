import { Badge, Button, CopyButton, Group, List, Text, TextInput } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, get, type MyReferral } from '../api'
import { ProblemAlert, Section, submit } from './ui'

/** The member's invite code, the friends it brought, and saying who invited them. */
export function Invite() {
  const client = useQueryClient()
  const mine = useQuery({ queryKey: ['referral'], queryFn: () => get<MyReferral>('/me/referral') })
  const [code, setCode] = useState('')
  const claim = useMutation({
    mutationFn: () => api('POST', '/me/referral/claim', { code }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: 'Thanks! You both get points once your first purchase is settled.' })
      setCode('')
      client.invalidateQueries({ queryKey: ['referral'] })
    },
  })
  if (!mine.data) return <ProblemAlert error={mine.error} />
  return (
    <Section title="Bring a friend">
      <Text size="sm">Give friends your code: when their first purchase is settled you get 200 points and they get 100.</Text>
      <Group mt="xs">
        <Text ff="monospace" fz="xl" fw={700}>
          {mine.data.code}
        </Text>
        <CopyButton value={mine.data.code}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      {mine.data.friends.length > 0 && (
        <List size="sm" mt="xs">
          {mine.data.friends.map((f) => (
            <List.Item key={f.claimedAt}>
              {f.name}{' '}
              <Badge size="xs" variant="light">
                {f.status === 'rewarded' ? 'rewarded' : 'waiting for a first purchase'}
              </Badge>
            </List.Item>
          ))}
        </List>
      )}
      <form onSubmit={submit(() => claim.mutate())}>
        <Group mt="sm" align="flex-end" gap="xs">
          <TextInput
            label="New here? Who invited you"
            placeholder="Their code"
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            required
            style={{ flex: 1 }}
          />
          <Button type="submit" variant="default" loading={claim.isPending}>
            Send
          </Button>
        </Group>
      </form>
      <ProblemAlert error={claim.error} />
    </Section>
  )
}
