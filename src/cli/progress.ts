import cliProgress from 'cli-progress'

/**
 * A progress bar on stderr; silent when stderr is not a terminal (CI logs, pipes). The bar moves
 * with `done` of `total` (bytes of a file, say) while the text counts what a person thinks in:
 * `count` rows so far.
 */
export function progressBar(label: string, total: number, unit: string) {
  if (!process.stderr.isTTY) return { update: (_done: number, _count: number) => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {count} ${unit} | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0, { count: 0 })
  return { update: (done: number, count: number) => bar.update(Math.min(done, total), { count: count.toLocaleString('en-GB') }), stop: () => bar.stop() }
}
