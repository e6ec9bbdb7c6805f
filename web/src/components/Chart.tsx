import type { EChartsOption } from 'echarts'
import { BarChart, LineChart, PieChart } from 'echarts/charts'
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'
import ReactEChartsCore from 'echarts-for-react/lib/core'

// Only the parts of ECharts the app draws, so the charts chunk stays small.
echarts.use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, DatasetComponent, SVGRenderer])

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
      <ReactEChartsCore echarts={echarts} option={option} style={{ height, width: '100%' }} opts={{ renderer: 'svg' }} notMerge />
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
