import { Badge, Group, List, Progress, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { get, type MemberTier } from '../api'
import { date } from '../format'
import { ProblemAlert, Section } from './ui'

/** What the next tier needs, in a line: "380 more tier points for Devoted"; the top only for a member who reached it. */
export const tierNext = (t: MemberTier) =>
  t.next ? `${t.next.needed.toLocaleString('en-GB')} more tier points for ${t.next.name}` : t.highest ? 'You are in the top tier' : 'No higher tier to reach'

/** The member's tier, what it gives, and how far the next one is. `base` is /me or /members/:id. */
export function TierCard({ base }: { base: string }) {
  const tier = useQuery({ queryKey: ['tier', base], queryFn: () => get<MemberTier>(`${base}/tier`) })
  if (!tier.data) return <ProblemAlert error={tier.error} />
  const t = tier.data
  const progress = t.next ? Math.min(100, (t.score / t.next.threshold) * 100) : t.highest ? 100 : 0
  return (
    <Section
      title="Tier"
      right={
        <Badge size="lg" variant="light">
          {t.name}
        </Badge>
      }
    >
      <Group justify="space-between" mb={4} wrap="wrap" gap={4}>
        <Text size="sm">Tier points {t.score.toLocaleString('en-GB')}</Text>
        <Text size="xs" c="dimmed" data-testid="tier-next">
          {tierNext(t)}
        </Text>
      </Group>
      {(t.next || t.highest) && <Progress value={progress} aria-label="Progress to the next tier" />}
      {t.downgradeAt && (
        <Text size="xs" c="orange.8" mt={4}>
          Keeps {t.name} until {date(t.downgradeAt)}: shopping and taking part before then keeps it.
        </Text>
      )}
      {t.perks.length > 0 && (
        <List size="sm" mt="sm" spacing={2}>
          {t.perks.map((perk) => (
            <List.Item key={perk}>{perk}</List.Item>
          ))}
        </List>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        The score counts spending and taking part (reviews, ideas, visits, shopping with friends) over the last year.
      </Text>
    </Section>
  )
}
