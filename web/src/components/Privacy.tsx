import { Alert, Button, Checkbox, Group, List, Modal, PasswordInput, Select, Stack, Text } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { IconDownload } from '@tabler/icons-react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from '@tanstack/react-router'
import { useState } from 'react'
import { api, type Erasure } from '../api'
import { dateTime } from '../format'
import { CodeInput, ProblemAlert, Section, submit } from './ui'

const erasedList = (
  <List size="sm" spacing={2}>
    <List.Item>name, birthday, email, phone and address; every card and identifier</List.Item>
    <List.Item>notes and conversations staff wrote, taste and suggestions</List.Item>
    <List.Item>the login; consents are withdrawn</List.Item>
  </List>
)

function DownloadButton({ path, children }: { path: string; children: string }) {
  return (
    <Button component="a" href={`/v1${path}?format=zip`} download variant="light" leftSection={<IconDownload size={16} />}>
      {children}
    </Button>
  )
}

/** The member's own privacy requests: download everything, or erase it (password again and a code sent to them, then gone). */
export function YourData() {
  const [opened, dialog] = useDisclosure(false)
  const [password, setPassword] = useState('')
  const [code, setCode] = useState('')
  const client = useQueryClient()
  const navigate = useNavigate()
  const sendCode = useMutation({ mutationFn: () => api<{ sentTo: string; expiresAt: string }>('POST', '/me/erasure/code') })
  const erase = useMutation({
    mutationFn: () => api<Erasure>('POST', '/me/erasure', { password, code }),
    onSuccess: () => {
      client.clear()
      navigate({ to: '/login' })
    },
  })
  return (
    <Section title="Your data">
      <Stack gap="sm">
        <Text size="sm">Download everything we hold about you: one file for each kind of record, and all of it as JSON.</Text>
        <Group>
          <DownloadButton path="/me/data">Download my data</DownloadButton>
          <Button color="red" variant="subtle" onClick={dialog.open} data-testid="erase-open">
            Erase my data…
          </Button>
        </Group>
      </Stack>
      <Modal opened={opened} onClose={dialog.close} title="Erase your data and close your membership?">
        <form onSubmit={submit(() => erase.mutate())}>
          <Stack>
            <Text size="sm">This cannot be undone. We erase:</Text>
            {erasedList}
            <Text size="sm" c="dimmed">
              Your points history stays under an anonymous number, so the shops' figures add up; nothing in it names you. Your points can no longer be spent.
            </Text>
            <PasswordInput label="Your password, to confirm" value={password} onChange={(e) => setPassword(e.currentTarget.value)} required />
            {sendCode.data ? (
              <Stack gap={4}>
                <Text size="sm">We sent a code to {sendCode.data.sentTo}. It works for 15 minutes.</Text>
                <CodeInput value={code} onChange={setCode} />
              </Stack>
            ) : (
              <Group gap="xs" align="center">
                <Button variant="light" color="red" onClick={() => sendCode.mutate()} loading={sendCode.isPending} data-testid="erase-send-code">
                  Send me a code
                </Button>
                <Text size="xs" c="dimmed">
                  To your email (or phone) on file, so we know it is you.
                </Text>
              </Group>
            )}
            <ProblemAlert error={sendCode.error ?? erase.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={dialog.close}>
                Keep my membership
              </Button>
              <Button type="submit" color="red" loading={erase.isPending} disabled={!password || code.length !== 6} data-testid="erase-confirm">
                Erase everything
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Section>
  )
}

const verifications = [
  { value: 'in_person_id', label: 'In person, with photo ID' },
  { value: 'verified_email', label: 'By email from an address on the membership' },
  { value: 'signed_in_member', label: 'Signed in to their membership' },
]

/** A manager's privacy requests for a member: the export, and the erasure after checking who asks. */
export function MemberPrivacy({ memberId, invalidate }: { memberId: string; invalidate: unknown[] }) {
  const [opened, dialog] = useDisclosure(false)
  const [verifiedBy, setVerifiedBy] = useState<string | null>(null)
  const [checked, setChecked] = useState(false)
  const client = useQueryClient()
  const erase = useMutation({
    mutationFn: () => api<Erasure>('POST', `/members/${memberId}/erasure`, { confirmMemberId: memberId, verifiedBy }),
    onSuccess: () => {
      dialog.close()
      client.invalidateQueries({ queryKey: invalidate })
    },
  })
  return (
    <Section title="Privacy requests">
      <Stack gap="sm">
        <Text size="sm">For a member who asks for their data or its erasure. Both are in the audit log.</Text>
        <Group>
          <DownloadButton path={`/members/${memberId}/data`}>Export their data</DownloadButton>
          <Button color="red" variant="subtle" onClick={dialog.open} data-testid="staff-erase-open">
            Erase…
          </Button>
        </Group>
        {erase.data && <Alert color="teal">Erased {dateTime(erase.data.erasedAt)}.</Alert>}
      </Stack>
      <Modal opened={opened} onClose={dialog.close} title="Erase this member's personal data?">
        <form onSubmit={submit(() => erase.mutate())}>
          <Stack>
            <Text size="sm">This cannot be undone. Regulars erases, for this membership and any merged into it:</Text>
            {erasedList}
            <Select label="How did the member prove the request is theirs?" data={verifications} value={verifiedBy} onChange={setVerifiedBy} required />
            <Checkbox label="The member asked for erasure, and I checked it is them" checked={checked} onChange={(e) => setChecked(e.currentTarget.checked)} />
            <ProblemAlert error={erase.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={dialog.close}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={erase.isPending} disabled={!verifiedBy || !checked} data-testid="staff-erase-confirm">
                Erase
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Section>
  )
}
