import { Anchor, Button, Grid, Group, Loader, Stack, Text } from '@mantine/core'
import { notifications } from '@mantine/notifications'
import { IconMailForward } from '@tabler/icons-react'
import { useMutation, useQuery } from '@tanstack/react-query'
import { Link, useParams } from '@tanstack/react-router'
import { api, get, type MemberCard, type Sent } from '../api'
import { Suggestions, TasteProfile } from '../components/Advice'
import { FollowUpsAndConversations, Notes } from '../components/Clienteling'
import { MemberFiguresCard } from '../components/MemberFiguresCard'
import { Identifiers, ProfileForm, SummaryFigures } from '../components/MemberPanels'
import { Goodwill, PointsHistory } from '../components/Points'
import { MemberPrivacy } from '../components/Privacy'
import { TierCard } from '../components/TierCard'
import { TillCard } from '../components/TillCard'
import { Timeline } from '../components/Timeline'
import { ProblemAlert, Section } from '../components/ui'
import { label } from '../format'
import { isManager, useSession } from '../session'

/**
 * Invites the member to their own member page: a login on their verified email (or phone) and a link
 * to choose a password. Without a verified address there is nowhere safe to send it.
 */
function InviteButton({ card }: { card: MemberCard }) {
  const invite = useMutation({
    mutationFn: () => api<Sent>('POST', `/members/${card.member.id}/invitation`),
    onSuccess: (sent) => notifications.show({ color: 'teal', message: `Invitation sent to ${sent.sentTo}. The link works for 7 days.` }),
    onError: (error) => notifications.show({ color: 'red', title: 'Not sent', message: error.message }),
  })
  const verified = card.identifiers.some((i) => i.verified && (i.kind === 'email' || i.kind === 'phone'))
  return (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconMailForward size={14} />}
      onClick={() => invite.mutate()}
      loading={invite.isPending}
      disabled={!verified || invite.isSuccess}
      title={verified ? 'Send a link to choose a password for their member page' : 'Add their email or phone and verify it first'}
    >
      {invite.isSuccess ? 'Invited' : 'Invite to their member page'}
    </Button>
  )
}

/** A member as the associate sees them: profile, figures, cards and one history across channels. */
export function MemberDetailPage() {
  const { memberId } = useParams({ from: '/app/associate/members/$memberId' })
  const session = useSession()
  const key = ['member', memberId]
  const card = useQuery({ queryKey: key, queryFn: () => get<MemberCard>(`/members/${memberId}`) })
  return (
    <Stack data-testid="associate-console" maw={1100} mx="auto">
      <Anchor component={Link} to="/associate" size="sm">
        ← Back to lookup
      </Anchor>
      <ProblemAlert error={card.error} />
      {card.isPending && <Loader />}
      {card.data && (
        <>
          <TillCard
            card={card.data}
            actions={
              <Group gap="sm">
                {card.data.member.preferredChannel && (
                  <Text size="sm" c="dimmed">
                    prefers {label(card.data.member.preferredChannel).toLowerCase()}
                  </Text>
                )}
                <InviteButton card={card.data} />
              </Group>
            }
          />
          <SummaryFigures summary={card.data.summary} />
          <Grid>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <Stack>
                <MemberFiguresCard memberId={memberId} />
                <TierCard base={`/members/${memberId}`} />
                <TasteProfile base={`/members/${memberId}`} />
                <ProfileForm key={card.dataUpdatedAt} card={card.data} savePath={`/members/${memberId}`} invalidate={key} />
                <Identifiers card={card.data} addPath={`/members/${memberId}/identifiers`} invalidate={key} atTill />
                {isManager(session?.user.role) && <Goodwill memberId={memberId} />}
                <PointsHistory base={`/members/${memberId}`} />
                {isManager(session?.user.role) && <MemberPrivacy memberId={memberId} invalidate={key} />}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Stack>
                <Suggestions base={`/members/${memberId}`} title="Suggest, and what to talk about" talkingPoints />
                <Notes memberId={memberId} />
                <FollowUpsAndConversations memberId={memberId} />
                <Section title="History across channels">
                  <Timeline path={`/members/${memberId}/timeline`} />
                </Section>
              </Stack>
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  )
}
