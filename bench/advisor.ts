import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sharedData } from '../test/support/shared-data.js'
import { runCli } from './support.js'

const onlineRetail = sharedData('online-retail/online_retail.csv')

/**
 * `advisor`: next-basket NDCG@10 of our recommender against G-TopFreq and P-TopFreq (all three in
 * the same run) on a temporal split of the UCI Online Retail file and of a generated history, and
 * the time to train on a 1,000,000-row generated file.
 */
export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'regulars-bench-advisor-'))
  const evaluate = async (file: string, format: string, cutoff: string) => {
    const [train, test] = [join(dir, 'train.csv'), join(dir, 'test.csv')]
    await runCli(['advisor', 'split', file, '--format', format, '--cutoff', cutoff, '--train-out', train, '--test-out', test])
    const result = JSON.parse((await runCli(['advisor', 'eval', '--train', train, '--test', test, '--k', '10,20', '--json'])).trim())
    const ndcg = (method: string) => result.results.find((r: { method: string }) => r.method === method).scores['ndcg@10']
    return {
      cutoff,
      members: result.members,
      ndcg10: { regulars: ndcg('regulars'), gTopFreq: ndcg('G-TopFreq'), pTopFreq: ndcg('P-TopFreq') },
      ratioToPTopFreq: Number((ndcg('regulars') / ndcg('P-TopFreq')).toFixed(3)),
      ratioToGTopFreq: Number((ndcg('regulars') / ndcg('G-TopFreq')).toFixed(3)),
      blendSeconds: result.trainingSeconds,
    }
  }
  const generated = join(dir, 'generated.csv')
  await runCli(['demo', 'generate', '--members', '20000', '--seed', '7', '--out', generated])
  const big = join(dir, 'big.csv')
  await runCli(['demo', 'generate', '--members', '73600', '--seed', '1', '--out', big])
  const members = join(dir, 'members.txt')
  await writeFile(members, 'L00000001\nL00000002\n')
  const began = performance.now()
  await runCli(['advisor', 'recommend', '--train', big, '--members', members, '--k', '10', '--out', join(dir, 'out.jsonl')])
  const trainingSeconds = Number(((performance.now() - began) / 1000).toFixed(1))
  const result = {
    bench: 'advisor',
    onlineRetail: onlineRetail ? await evaluate(onlineRetail, 'online-retail', '2011-09-01') : null,
    generated: await evaluate(generated, 'generic', '2026-08-01'),
    trainOnMillionRowsSeconds: trainingSeconds,
    target: { ratioToPTopFreq: 1.05, ratioToGTopFreq: 2, trainSeconds: 60 },
  }
  await rm(dir, { recursive: true, force: true })
  return result
}
