import { Group, Paper, Stack, Table, Text } from '@mantine/core'
import { useMediaQuery } from '@mantine/hooks'
import type { ReactNode } from 'react'

export interface Column<T> {
  /** The header on a wide screen; the label beside the value on a phone's card. */
  title: string
  cell: (row: T) => ReactNode
  align?: 'right'
  /** Codes and skus. */
  mono?: boolean
  nowrap?: boolean
  dimmed?: boolean
  bold?: boolean
  /** On a phone: the card's heading (no label) rather than a labelled line. */
  heading?: boolean
  /** On a phone: the buttons along the card's foot (no label). */
  actions?: boolean
  /** On a phone: long text, under its label at full width rather than beside it. */
  block?: boolean
}

/** Below this a row reads better as a card than as a table that scrolls sideways. */
export const phoneQuery = '(max-width: 36em)'

/**
 * One table for every list of records: a header and right-aligned figures on a wide screen; on a
 * phone (390 px) each row becomes a card, its heading column on top and the others as labelled lines.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  label,
  minWidth = 480,
  header = true,
  striped,
  dimmedRow,
  rowTestId,
}: {
  rows: T[]
  columns: Column<T>[]
  rowKey: (row: T) => string | number
  /** What the table lists, for screen readers. */
  label?: string
  minWidth?: number
  header?: boolean
  striped?: boolean
  dimmedRow?: (row: T) => boolean
  rowTestId?: (row: T) => string
}) {
  const phone = useMediaQuery(phoneQuery, false, { getInitialValueInEffect: false })
  if (rows.length === 0) return null
  if (phone) return <Cards rows={rows} columns={columns} rowKey={rowKey} label={label} dimmedRow={dimmedRow} rowTestId={rowTestId} />
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table fz="sm" striped={striped} verticalSpacing="xs" aria-label={label}>
        {header && (
          <Table.Thead>
            <Table.Tr>
              {columns.map((c) => (
                <Table.Th key={c.title} ta={c.align}>
                  {c.actions ? '' : c.title}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
        )}
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={rowKey(row)} c={dimmedRow?.(row) ? 'dimmed' : undefined} data-testid={rowTestId?.(row)}>
              {columns.map((c) => (
                <Table.Td
                  key={c.title}
                  ta={c.align}
                  ff={c.mono ? 'monospace' : undefined}
                  fw={c.bold ? 600 : undefined}
                  c={c.dimmed ? 'dimmed' : undefined}
                  style={c.nowrap || c.actions ? { whiteSpace: 'nowrap' } : undefined}
                >
                  {c.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

function Cards<T>({
  rows,
  columns,
  rowKey,
  label,
  dimmedRow,
  rowTestId,
}: Pick<Parameters<typeof DataTable<T>>[0], 'rows' | 'columns' | 'rowKey' | 'label' | 'dimmedRow' | 'rowTestId'>) {
  const heading = columns.filter((c) => c.heading)
  const lines = columns.filter((c) => !c.heading && !c.actions)
  const actions = columns.filter((c) => c.actions)
  return (
    <Stack gap="xs" role="list" aria-label={label}>
      {rows.map((row) => (
        <Paper key={rowKey(row)} withBorder radius="md" p="sm" role="listitem" c={dimmedRow?.(row) ? 'dimmed' : undefined} data-testid={rowTestId?.(row)}>
          {heading.length > 0 && (
            <Group gap={6} mb={4} wrap="wrap">
              {heading.map((c) => (
                <Text key={c.title} fw={600} ff={c.mono ? 'monospace' : undefined} span>
                  {c.cell(row)}
                </Text>
              ))}
            </Group>
          )}
          {lines.map((c) =>
            c.block ? (
              <div key={c.title}>
                <Text size="sm" c="dimmed">
                  {c.title}
                </Text>
                <Text size="sm" style={{ overflowWrap: 'anywhere' }} component="div">
                  {c.cell(row)}
                </Text>
              </div>
            ) : (
              <Group key={c.title} justify="space-between" gap="sm" wrap="nowrap" align="flex-start" fz="sm">
                <Text size="sm" c="dimmed" style={{ flexShrink: 0 }}>
                  {c.title}
                </Text>
                <Text size="sm" ta="right" ff={c.mono ? 'monospace' : undefined} style={{ minWidth: 0, overflowWrap: 'anywhere' }} component="div">
                  {c.cell(row)}
                </Text>
              </Group>
            ),
          )}
          {actions.length > 0 && (
            <Group gap={4} mt={6} wrap="wrap">
              {actions.map((c) => (
                <Group key={c.title} gap={4}>
                  {c.cell(row)}
                </Group>
              ))}
            </Group>
          )}
        </Paper>
      ))}
    </Stack>
  )
}
