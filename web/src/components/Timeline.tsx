import { Badge, Group, Paper, Select, Stack, Table, Text, ThemeIcon } from '@mantine/core'
import { IconBuildingStore, IconDeviceMobile, IconHeart, IconReceipt, IconReceiptRefund, IconWorld } from '@tabler/icons-react'
import { useState } from 'react'
import type { TimelineItem } from '../api'
import { dateTime, label, money } from '../format'
import { MoreButton, usePages } from './paging'
import { EmptyState, ProblemAlert } from './ui'

const icons: Record<string, typeof IconReceipt> = {
  purchase: IconReceipt,
  return: IconReceiptRefund,
  store_visit: IconBuildingStore,
  web_session: IconWorld,
  app_open: IconDeviceMobile,
  wishlist_add: IconHeart,
}
const kinds = ['purchase', 'return', 'store_visit', 'web_session', 'app_open', 'wishlist_add']
const channels = ['store', 'web', 'app', 'call_center']

function Entry({ item }: { item: TimelineItem }) {
  const Icon = icons[item.kind] ?? IconReceipt
  return (
    <Paper withBorder p="sm" radius="md">
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group wrap="nowrap" align="flex-start" gap="sm">
          <ThemeIcon variant="light" color={item.kind === 'return' ? 'orange' : 'teal'} radius="xl">
            <Icon size={16} />
          </ThemeIcon>
          <div>
            <Text fw={600} size="sm">
              {label(item.kind)}
              {item.orderRef ? ` · ${item.orderRef}` : ''}
            </Text>
            <Text size="xs" c="dimmed">
              {dateTime(item.occurredAt)} · {label(item.channel)}
              {item.storeName ? ` · ${item.storeName}` : ''}
            </Text>
          </div>
        </Group>
        {item.totalMinor !== null && (
          <Text fw={700} size="sm" c={item.totalMinor < 0 ? 'orange.8' : undefined}>
            {money(item.totalMinor, item.currency ?? 'GBP')}
          </Text>
        )}
      </Group>
      {item.lines.length > 0 && (
        <Table.ScrollContainer minWidth={360} mt="xs">
          <Table fz="xs" verticalSpacing={2}>
            <Table.Tbody>
              {item.lines.map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a past order's lines never reorder, and one sku may appear twice
                <Table.Tr key={`${line.sku}-${index}`}>
                  <Table.Td>{line.productName ?? line.sku}</Table.Td>
                  <Table.Td ta="right">{Math.abs(line.quantity)} ×</Table.Td>
                  <Table.Td ta="right">{money(line.unitPriceMinor, item.currency ?? 'GBP')}</Table.Td>
                  <Table.Td ta="right">
                    {line.discountMinor ? (
                      <Badge size="xs" color="grape" variant="light">
                        −{money(line.discountMinor, item.currency ?? 'GBP')}
                      </Badge>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  )
}

/** One cross-channel history, newest first, filterable, a page at a time. `path` is /me/timeline or /members/:id/timeline. */
export function Timeline({ path }: { path: string }) {
  const [kind, setKind] = useState<string | null>(null)
  const [channel, setChannel] = useState<string | null>(null)
  const pages = usePages<TimelineItem>(['timeline', path], path, { limit: 20, kind, channel })
  const { items } = pages
  return (
    <Stack gap="sm">
      <Group gap="xs" grow>
        <Select placeholder="Everything" aria-label="Kind" data={kinds.map((k) => ({ value: k, label: label(k) }))} value={kind} onChange={setKind} clearable />
        <Select
          placeholder="Every channel"
          aria-label="Channel"
          data={channels.map((c) => ({ value: c, label: label(c) }))}
          value={channel}
          onChange={setChannel}
          clearable
        />
      </Group>
      <ProblemAlert error={pages.error} />
      {pages.isSuccess && items.length === 0 && (
        <EmptyState title={kind || channel ? 'Nothing of that kind yet' : 'No history yet'}>
          {kind || channel ? 'Try another filter.' : 'Purchases, returns and visits from every channel appear here as they happen.'}
        </EmptyState>
      )}
      {items.map((item) => (
        <Entry key={item.id} item={item} />
      ))}
      <MoreButton pages={pages} label="Show older" />
    </Stack>
  )
}
