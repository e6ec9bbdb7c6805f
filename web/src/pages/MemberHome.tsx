import { Grid, Loader, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { get, type MemberCard } from '../api'
import { Suggestions, TasteProfile } from '../components/Advice'
import { SharedNotes } from '../components/Clienteling'
import { FriendsFeed } from '../components/Feed'
import { Friends } from '../components/Friends'
import { Invite } from '../components/Invite'
import { Lists } from '../components/Lists'
import { Consents, Identifiers, Notifications, ProfileForm, SummaryFigures } from '../components/MemberPanels'
import { MembershipCard } from '../components/MembershipCard'
import { MyRewards, RewardsCatalogue } from '../components/MyRewards'
import { PointsFigures, PointsHistory } from '../components/Points'
import { YourData } from '../components/Privacy'
import { ShopTogether } from '../components/ShopTogether'
import { TierCard } from '../components/TierCard'
import { Timeline } from '../components/Timeline'
import { PageTitle, ProblemAlert, Section } from '../components/ui'
import { IdeasNearMe } from '../ideas/IdeasNearMe'
import { NearbyPolls } from '../polls/NearbyPolls'
import { MyReviewsAndQuestions } from '../reviews/MyReviewsAndQuestions'

/** The shopper's own home: their membership, identifiers, consents and history. */
export function MemberHomePage() {
  // A friend's invite link: /me?invite=CODE (the QR code on their card encodes it).
  const invite = new URLSearchParams(window.location.search).get('invite') ?? undefined
  const card = useQuery({ queryKey: ['me'], queryFn: () => get<MemberCard>('/me') })
  return (
    <Stack data-testid="member-home" maw={1100} mx="auto">
      <PageTitle>{card.data ? `Hello, ${card.data.member.givenName ?? card.data.member.displayName}` : 'Your membership'}</PageTitle>
      <ProblemAlert error={card.error} />
      {card.isPending && <Loader />}
      {card.data && (
        <>
          {/* First on a phone: the card to show at the till, the tier and what the next one needs. */}
          <Grid>
            <Grid.Col span={{ base: 12, md: 5 }}>
              <MembershipCard card={card.data} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <TierCard base="/me" />
            </Grid.Col>
          </Grid>
          <PointsFigures base="/me" />
          <SummaryFigures summary={card.data.summary} />
          {/* On a phone what the member came for (suggestions, rewards) comes first, the settings after. */}
          <Grid>
            <Grid.Col span={{ base: 12, md: 5 }} order={{ base: 2, md: 1 }}>
              <Stack>
                <Friends invite={invite} />
                <SharedNotes />
                <Invite />
                <ProfileForm key={card.dataUpdatedAt} card={card.data} savePath="/me" invalidate={['me']} />
                <Identifiers card={card.data} addPath="/me/identifiers" invalidate={['me']} />
                <Notifications card={card.data} />
                <Consents card={card.data} />
                <YourData />
                <TasteProfile base="/me" />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }} order={{ base: 1, md: 2 }}>
              <Stack>
                <NearbyPolls />
                <ShopTogether />
                <IdeasNearMe />
                <MyReviewsAndQuestions />
                <FriendsFeed />
                <Lists />
                <Suggestions base="/me" />
                <MyRewards />
                <RewardsCatalogue />
                <PointsHistory base="/me" />
                <Section
                  title="Your history"
                  right={
                    <Text size="xs" c="dimmed">
                      every shop, the app and the web
                    </Text>
                  }
                >
                  <Timeline path="/me/timeline" />
                </Section>
              </Stack>
            </Grid.Col>
          </Grid>
        </>
      )}
    </Stack>
  )
}
