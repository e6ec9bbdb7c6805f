import { Skeleton } from '@mantine/core'
import type { EChartsOption } from 'echarts'
import { lazy, Suspense } from 'react'

// ECharts is most of the app's weight: it comes with the first chart a page draws, so a shopper's
// phone and the till, which draw none, never load it.
const ChartCanvas = lazy(() => import('./ChartCanvas'))

export const palette = ['#0b7285', '#1098ad', '#3bc9db', '#99e9f2', '#e3fafc', '#f08c00']

/** One colour per segment, the same in every chart: green for relationships, red for price. */
export const segmentColours: Record<string, string> = {
  new: '#1098ad',
  relationship_driven: '#2f9e44',
  fluctuating: '#f08c00',
  price_driven: '#e03131',
  lapsed: '#adb5bd',
}

export function Chart({ option, height = 280, label }: { option: EChartsOption; height?: number; label: string }) {
  return (
    <div role="img" aria-label={label}>
      <Suspense fallback={<Skeleton height={height} />}>
        <ChartCanvas option={option} height={height} />
      </Suspense>
    </div>
  )
}

/** Members counted into bins: the one bar chart the insights draw again and again. */
export function Histogram({
  label,
  bins,
  members,
  height = 240,
  colour = palette[0],
}: {
  label: string
  bins: string[]
  members: number[]
  height?: number
  colour?: string
}) {
  return (
    <Chart
      label={label}
      height={height}
      option={{
        color: [colour],
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 16, bottom: 28 },
        xAxis: { type: 'category', data: bins },
        yAxis: { type: 'value' },
        series: [{ name: 'Members', type: 'bar', data: members }],
      }}
    />
  )
}
