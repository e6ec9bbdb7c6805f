import cliProgress from 'cli-progress'

/** A progress bar on stderr; silent when stderr is not a terminal (CI logs, pipes). */
export function progressBar(label: string, total: number) {
  if (!process.stderr.isTTY) return { update: (_done: number) => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0)
  return { update: (done: number) => bar.update(Math.min(done, total)), stop: () => bar.stop() }
}
