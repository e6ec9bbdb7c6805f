import { Badge, Group, Paper, Stack, Text } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import QRCode from 'qrcode'
import { useEffect, useState } from 'react'
import { get, type MemberCard, type MemberTier } from '../api'
import { tierNext } from './TierCard'

/** What the till scans: the loyalty id, else the card number; nothing for a member who has neither yet. */
export const cardNumberOf = (card: MemberCard) =>
  card.identifiers.find((i) => i.kind === 'loyalty_id')?.value ?? card.identifiers.find((i) => i.kind === 'card')?.value

/** The same options everywhere the card's code is drawn (the browser test draws it again to compare). */
export const cardCodeOptions = { type: 'svg', margin: 2, errorCorrectionLevel: 'M', width: 200 } as const

/**
 * The membership card on the phone: the member's name, tier and a QR code of their loyalty id that the
 * till's lookup takes as scanned. Drawn in the browser from data the app keeps, so it shows offline.
 */
export function MembershipCard({ card }: { card: MemberCard }) {
  const tier = useQuery({ queryKey: ['tier', '/me'], queryFn: () => get<MemberTier>('/me/tier') })
  const number = cardNumberOf(card)
  const [svg, setSvg] = useState<string>()
  useEffect(() => {
    if (number) QRCode.toString(number, cardCodeOptions).then(setSvg, () => setSvg(undefined))
  }, [number])
  const name = [card.member.givenName, card.member.familyName].filter(Boolean).join(' ') || card.member.displayName
  return (
    <Paper
      radius="lg"
      p="md"
      data-testid="membership-card"
      style={{ background: 'linear-gradient(135deg, var(--mantine-color-teal-8), var(--mantine-color-teal-6))', color: 'white' }}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text size="xs" tt="uppercase" fw={700} opacity={0.85}>
            Regulars member
          </Text>
          <Text fw={700} fz="xl" lh={1.2} data-testid="card-name">
            {name}
          </Text>
          {tier.data && (
            <>
              <Badge color="white" c="teal.9" variant="filled" size="lg" w="fit-content" data-testid="card-tier">
                {tier.data.name}
              </Badge>
              <Text size="sm" opacity={0.9}>
                {tierNext(tier.data)}
              </Text>
            </>
          )}
          <Text size="xs" opacity={0.85} mt="xs">
            {number ? 'Show this at any till to collect and spend points.' : 'Ask at any till for a card: your points already count.'}
          </Text>
        </Stack>
        {number && (
          <Stack gap={4} align="center" style={{ flexShrink: 0 }}>
            {svg && (
              <img
                src={`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`}
                width={132}
                height={132}
                alt={`QR code of membership number ${number}`}
                data-testid="card-code"
                style={{ background: 'white', borderRadius: 8, display: 'block' }}
              />
            )}
            <Text ff="monospace" fw={700} size="sm" data-testid="card-number" style={{ letterSpacing: 1 }}>
              {number}
            </Text>
          </Stack>
        )}
      </Group>
    </Paper>
  )
}
