import { readFile, writeFile } from 'node:fs/promises'
import { type Command, InvalidArgumentError, Option } from 'commander'
import type { HistoryFormat } from '../modules/activity/index.js'
import { type Basket, dayOf, evaluate, Recommender, readBaskets, tuneBlend } from '../modules/advisor/index.js'
import type { ConfigFlags } from '../platform/config.js'
import { dataOption, isoDate, mustExist, stdio, withDeps } from './common.js'
import { runJobHere } from './jobs.js'

const ks = (value: string) => {
  const list = value.split(',').map(Number)
  if (!list.length || list.some((k) => !Number.isInteger(k) || k < 1 || k > 1000)) throw new InvalidArgumentError('Give cut-offs like 10,20.')
  return list
}
const formatOption = () => new Option('--format <format>', 'the layout of the files (docs/import.md)').choices(['generic', 'online-retail']).default('generic')

/** Member ids as a file lists them: one a line, an optional member_id header, ids like "17850.0" read as "17850". */
async function readMembers(file: string) {
  return (await readFile(file, 'utf8'))
    .split(/\r?\n/)
    .map((line) => line.split(',')[0].trim())
    .filter((id, i) => id && !(i === 0 && /^member_?id$/i.test(id)))
}

/** `regulars advisor …`: train the recommender on a file, suggest for members, and evaluate it against baselines. */
export function registerAdvisor(program: Command, say = stdio.say, warn = stdio.warn) {
  const advisor = program.command('advisor').description('Suggestions from purchase history: recommend for members, evaluate against baselines')

  advisor
    .command('train')
    .description("Retrain members' suggestions on all purchase history in the database (the suggestions-training job, nightly on the server)")
    .addOption(dataOption())
    .option('--json', 'print one JSON line instead of a summary')
    .action(async (flags: ConfigFlags & { json?: boolean }) => {
      await withDeps({ ...flags, demo: false }, async (deps) => {
        const trained = (await runJobHere(deps, 'suggestions-training')).result as { baskets: number; members: number; seconds: number }
        if (flags.json) say(JSON.stringify(trained))
        else
          say(
            `Trained on ${trained.baskets.toLocaleString('en-GB')} baskets: suggestions for ${trained.members.toLocaleString('en-GB')} members in ${trained.seconds} s.`,
          )
      })
    })

  advisor
    .command('recommend')
    .description("Train on a history file and write each listed member's top K products, best first, one JSON line each")
    .requiredOption('--train <file>', 'the purchase history to learn from', mustExist)
    .addOption(formatOption())
    .requiredOption('--members <file>', 'member ids to recommend for, one a line', mustExist)
    .requiredOption('--k <k>', 'how many products each', (v) => ks(v)[0])
    .option('--out <file>', 'write the lines here instead of stdout')
    .option('--explain', 'add each suggestion\'s reason ("you buy … about every 3 weeks")')
    .option('--json', 'the output is JSON lines either way: {"member_id": …, "items": […]}')
    .action(async (flags: { train: string; format: HistoryFormat; members: string; k: number; out?: string; explain?: boolean }) => {
      const started = performance.now()
      const history = await readBaskets(flags.train, flags.format)
      const tuned = tuneBlend(history.baskets, Math.min(flags.k, 10))
      const model = new Recommender(history.baskets, tuned.blend, history.names)
      const lines = (await readMembers(flags.members)).map((member) => {
        const id = model.knows(member) ? member : member.replace(/\.0+$/, '')
        const suggestions = model.recommend(id, flags.k)
        return JSON.stringify({
          member_id: member,
          items: suggestions.map((s) => s.sku),
          ...(flags.explain ? { reasons: suggestions.map((s) => s.reason.text) } : {}),
        })
      })
      if (flags.out) await writeFile(flags.out, `${lines.join('\n')}\n`)
      else for (const line of lines) say(line)
      warn(
        `Trained on ${history.baskets.length.toLocaleString('en-GB')} baskets (blend ${JSON.stringify(tuned.blend)}), recommended for ${lines.length} members in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
      )
    })

  advisor
    .command('eval')
    .description("Next-basket evaluation: Recall@K and NDCG@K of our recommender, G-TopFreq and P-TopFreq on each member's first test basket")
    .requiredOption('--train <file>', 'the history before the cut-off', mustExist)
    .requiredOption('--test <file>', "the history after it (each member's first basket counts)", mustExist)
    .requiredOption('--k <list>', 'cut-offs, e.g. 10,20', ks)
    .addOption(formatOption())
    .option('--json', 'print one JSON line instead of a table')
    .action(async (flags: { train: string; test: string; k: number[]; format: HistoryFormat; json?: boolean }) => {
      const [train, test] = await Promise.all([readBaskets(flags.train, flags.format), readBaskets(flags.test, flags.format)])
      const result = evaluate(train.baskets, test.baskets, flags.k, train.names)
      if (flags.json) {
        say(JSON.stringify(result))
        return
      }
      say(
        `${result.members.toLocaleString('en-GB')} members with history before their test basket; blend learnt in ${result.trainingSeconds} s: ${JSON.stringify(result.blend)}`,
      )
      const columns = flags.k.flatMap((k) => [`recall@${k}`, `ndcg@${k}`])
      say(`${'method'.padEnd(10)}  ${columns.map((c) => c.padStart(9)).join('  ')}`)
      for (const row of result.results) say(`${row.method.padEnd(10)}  ${columns.map((c) => row.scores[c].toFixed(4).padStart(9)).join('  ')}`)
      const ours = result.results[0].scores
      for (const base of result.results.slice(1)) {
        say(`NDCG@${flags.k[0]} against ${base.method}: × ${(ours[`ndcg@${flags.k[0]}`] / Math.max(1e-12, base.scores[`ndcg@${flags.k[0]}`])).toFixed(3)}`)
      }
    })

  advisor
    .command('split')
    .description("Make a temporal split: train = baskets before the cut-off; test = each member's first basket after it (members seen before only)")
    .argument('<file>', 'the purchase history', mustExist)
    .addOption(formatOption())
    .requiredOption('--cutoff <date>', 'first day of the test period, YYYY-MM-DD', isoDate)
    .requiredOption('--train-out <file>', 'where to write the training baskets (generic format)')
    .requiredOption('--test-out <file>', 'where to write the test baskets (generic format)')
    .action(async (file: string, flags: { format: HistoryFormat; cutoff: string; trainOut: string; testOut: string }) => {
      const { baskets } = await readBaskets(file, flags.format)
      const cutoff = dayOf(flags.cutoff)
      const train = baskets.filter((b) => b.day < cutoff)
      const seen = new Set(train.map((b) => b.member))
      const test = new Map<string, Basket>()
      for (const b of baskets) if (b.day >= cutoff && seen.has(b.member) && !test.has(b.member)) test.set(b.member, b)
      const csv = (list: Iterable<Basket>) =>
        `member_id,order_id,occurred_at,sku,quantity,unit_price\n${[...list]
          .flatMap((b) => b.items.map((sku) => [b.member, b.order, new Date(b.day * 86_400_000).toISOString().slice(0, 10), sku, 1, 0].map(quoted).join(',')))
          .join('\n')}\n`
      await writeFile(flags.trainOut, csv(train))
      await writeFile(flags.testOut, csv(test.values()))
      say(
        `Train: ${train.length.toLocaleString('en-GB')} baskets before ${flags.cutoff}; test: ${test.size.toLocaleString('en-GB')} members' first basket after it.`,
      )
    })
}

const quoted = (value: string | number) => (typeof value === 'string' && /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : String(value))
