import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { type DemoCategory, demoBrands, demoCategories, demoStores, familyNames, givenNames, productAdjectives, salePeriods, streetNames } from './catalog.js'

/**
 * The project's own shopper-history generator. Deterministic: the same seed, size and end date
 * give the same retailer, byte for byte. Every member is a pure function of (seed, index), so a
 * million rows stream out without holding the history in memory.
 *
 * Shapes it reproduces, because insights and the advisor are judged on them: most members buy once
 * or twice and a loyal minority often; consumables are re-bought on a cycle; gifting peaks in
 * November and December; price-driven shoppers wait for the sales; clothes come back more often
 * than coffee; some members switch channels and some drift away.
 */

const day = 86_400_000

/** sfc32: small, fast and good enough to make shoppers; seeded by a 32-bit mix of seed and index. */
function random(seed: number, index: number, stream: number) {
  let a = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0
  let b = Math.imul(index ^ 0xc2b2ae35, 0x27d4eb2f) >>> 0
  let c = Math.imul(stream ^ 0x165667b1, 0x9e3779b1) >>> 0
  let d = (a ^ b ^ c ^ 0xdeadbeef) >>> 0
  const next = () => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    let t = (a + b) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    d = (d + 1) | 0
    t = (t + d) | 0
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return next
}
type Random = ReturnType<typeof random>

const pick = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng() * items.length)]
const between = (rng: Random, low: number, high: number) => low + Math.floor(rng() * (high - low + 1))
function poisson(rng: Random, mean: number) {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)))
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng()
  while (p > limit) {
    k++
    p *= rng()
  }
  return k
}
const normal = (rng: Random) => Math.sqrt(-2 * Math.log(rng() || 1e-12)) * Math.cos(2 * Math.PI * rng())
/** Index drawn from cumulative weights. */
function weighted(rng: Random, cumulative: number[]) {
  const x = rng() * cumulative[cumulative.length - 1]
  let low = 0
  let high = cumulative.length - 1
  while (low < high) {
    const mid = (low + high) >> 1
    if (cumulative[mid] > x) high = mid
    else low = mid + 1
  }
  return low
}
const cumulate = (weights: number[]) => {
  let sum = 0
  return weights.map((w) => (sum += w))
}
const pad = (n: number, width: number) => String(n).padStart(width, '0')

export interface GeneratedStore {
  code: string
  name: string
  region: string
  timezone: string
}
export interface GeneratedProduct {
  sku: string
  name: string
  category: string
  brand: string
  priceMinor: number
  currency: string
}
export type Archetype = 'one-off' | 'occasional' | 'regular' | 'devoted'
export interface GeneratedMember {
  /** The member's loyalty id, and the `member_id` of the history file. */
  id: string
  loyaltyId: string
  cardNumber: string
  givenName: string
  familyName: string
  birthDate: string | null
  email: string
  phone: string
  addressLine: string
  postcode: string
  city: string
  homeStoreCode: string
  preferredChannel: string
  joinedAt: string
  joinedChannel: string
  archetype: Archetype
  priceDriven: boolean
  /** Set when this profile is a second card of an earlier member (a typo'd name, the same birthday and address). */
  duplicateOf: string | null
}
export interface HistoryRow {
  memberId: string
  orderId: string
  occurredAt: string
  sku: string
  /** Negative for a return; the return carries the order id of the purchase it returns. */
  quantity: number
  unitPriceMinor: number
  /** Discount on the whole line, in minor units, always positive. */
  discountMinor: number
  channel: string
  store: string | null
  productName: string
  category: string
}
export interface GeneratedVisit {
  memberId: string
  kind: 'store_visit' | 'web_session' | 'app_open' | 'wishlist_add'
  channel: string
  store: string | null
  occurredAt: string
  sku: string | null
}

export interface GeneratorOptions {
  members: number
  months: number
  seed: number
  /** History ends here (exclusive). Fixed by default so a seed always writes the same file. */
  endDate?: Date
}

export const defaultEndDate = new Date('2026-10-01T00:00:00Z')

const archetypes: { name: Archetype; share: number; ordersPerYear: number; minimum: number }[] = [
  { name: 'one-off', share: 0.42, ordersPerYear: 0, minimum: 1 },
  { name: 'occasional', share: 0.3, ordersPerYear: 4, minimum: 1 },
  { name: 'regular', share: 0.2, ordersPerYear: 14, minimum: 2 },
  { name: 'devoted', share: 0.08, ordersPerYear: 35, minimum: 3 },
]
const archetypeWeights = cumulate(archetypes.map((a) => a.share))
const channels = ['store', 'web', 'app', 'call_center'] as const
const preferredChannelWeights = cumulate([0.55, 0.3, 0.13, 0.02])
/** Overall demand by month (January first): the November–December peak every retailer plans for. */
const monthDemand = [0.85, 0.75, 0.85, 0.9, 0.95, 0.95, 1, 0.95, 0.9, 1, 1.35, 1.7]
const busiestMonth = Math.max(...monthDemand)
const nicknames: Record<string, string> = {
  William: 'Will',
  Thomas: 'Tom',
  James: 'Jim',
  Samuel: 'Sam',
  Joshua: 'Josh',
  Daniel: 'Dan',
  Edward: 'Ed',
  Isabella: 'Bella',
  Charlotte: 'Lottie',
  Eleanor: 'Ellie',
  Florence: 'Flo',
  Harriet: 'Hattie',
  Matilda: 'Tilly',
}

function inSale(time: number) {
  const date = new Date(time)
  const month = date.getUTCMonth() + 1
  const dayOfMonth = date.getUTCDate()
  return salePeriods.some(([m, first, last]) => m === month && dayOfMonth >= first && dayOfMonth <= last)
}

/** A name as a second registration might spell it: a nickname, a dropped or doubled letter. */
function misspell(rng: Random, name: string) {
  if (nicknames[name] && rng() < 0.5) return nicknames[name]
  const at = 1 + Math.floor(rng() * (name.length - 1))
  return rng() < 0.5 ? name.slice(0, at) + name.slice(at + 1) : name.slice(0, at) + name[at - 1] + name.slice(at)
}

export function generateRetailer(options: GeneratorOptions) {
  const { seed, months } = options
  const end = (options.endDate ?? defaultEndDate).getTime()
  const start = end - Math.round((months * 365.25 * day) / 12)

  const catalogRng = random(seed, 0, 0)
  const products: (GeneratedProduct & { categoryIndex: number })[] = []
  const productsByCategory: number[][] = demoCategories.map(() => [])
  demoCategories.forEach((category, categoryIndex) => {
    const count = 28 + Math.floor(catalogRng() * 12)
    for (let i = 0; i < count; i++) {
      const brand = pick(catalogRng, demoBrands)
      const [low, high] = category.price
      const priceMinor = Math.round((low + catalogRng() * (high - low)) / 5) * 5 - 1
      productsByCategory[categoryIndex].push(products.length)
      products.push({
        sku: `SKU-${pad(products.length + 1, 5)}`,
        name: `${brand} ${pick(catalogRng, productAdjectives)} ${category.nouns[i % category.nouns.length]}`,
        category: category.path,
        brand,
        priceMinor,
        currency: 'GBP',
        categoryIndex,
      })
    }
  })
  // Within a category a few products sell most (Zipf), as on every shelf.
  const zipfByCategory = productsByCategory.map((list) => cumulate(list.map((_, rank) => 1 / (rank + 1) ** 1.1)))
  const categoryBase = demoCategories.map((c) => (c.cycleDays ? 1.4 : 1))
  const seasonalCategoryWeights = Array.from({ length: 12 }, (_, month) => cumulate(demoCategories.map((c, i) => c.season[month] * categoryBase[i])))

  function memberAt(index: number): GeneratedMember & { categories: number[]; favourites: number[]; omni: boolean; lapseAt: number | null } {
    const rng = random(seed, index + 1, 1)
    const archetype = archetypes[weighted(rng, archetypeWeights)].name
    const home = demoStores[weighted(rng, cumulate([0.32, 0.2, 0.18, 0.15, 0.15]))]
    let givenName = pick(rng, givenNames)
    let familyName = pick(rng, familyNames)
    const age = 18 + Math.floor(62 * rng() ** 1.3)
    let birthDate: string | null = rng() < 0.9 ? `${pad(2008 - age, 4)}-${pad(between(rng, 1, 12), 2)}-${pad(between(rng, 1, 28), 2)}` : null
    let addressLine = `${between(rng, 1, 180)} ${pick(rng, streetNames)}`
    let postcode = `${home.postcodeArea} ${between(rng, 1, 9)}${String.fromCharCode(65 + between(rng, 0, 25))}${String.fromCharCode(65 + between(rng, 0, 25))}`
    let duplicateOf: string | null = null
    // About one member in seventy signed up twice: the same person, a second card, a typo'd name.
    if (index > 20 && rng() < 0.014) {
      const original = memberAt(index - 1 - Math.floor(rng() * 20))
      givenName = rng() < 0.7 ? misspell(rng, original.givenName) : original.givenName
      familyName = rng() < 0.3 ? misspell(rng, original.familyName) : original.familyName
      birthDate = original.birthDate
      addressLine = original.addressLine
      postcode = original.postcode
      duplicateOf = original.id
    }
    const joinedAt = rng() < 0.6 ? start - rng() * 3 * 365 * day : start + rng() * (end - start)
    const preferredChannel = channels[weighted(rng, preferredChannelWeights)]
    const loved = rng() < 0.5 ? 2 : 3
    const categories: number[] = []
    while (categories.length < loved) {
      const c = weighted(rng, seasonalCategoryWeights[5])
      if (!categories.includes(c)) categories.push(c)
    }
    const consumables = categories.filter((c) => demoCategories[c].cycleDays)
    const favouriteCount = archetype === 'one-off' ? 1 : archetype === 'occasional' ? 2 : between(rng, 2, 5)
    const favourites: number[] = []
    for (let i = 0; i < favouriteCount * 3 && favourites.length < favouriteCount; i++) {
      const pool = consumables.length && rng() < 0.85 ? consumables : demoCategories.map((_, c) => c).filter((c) => demoCategories[c].cycleDays)
      const c = pick(rng, pool)
      const product = productsByCategory[c][weighted(rng, zipfByCategory[c])]
      if (!favourites.includes(product)) favourites.push(product)
    }
    const loyal = archetype === 'regular' || archetype === 'devoted'
    const id = `L${pad(index + 1, 8)}`
    const given = givenName.toLowerCase().replace(/[^a-z]/g, '')
    return {
      id,
      loyaltyId: id,
      cardNumber: `6337${pad(index + 1, 9)}`,
      givenName,
      familyName,
      birthDate,
      email: `${given}.${familyName.toLowerCase()}${index + 1}@${pick(rng, ['example.com', 'example.org', 'example.net'])}`,
      // 7919 is prime to 10^9, so index → number is one-to-one: no two members share a phone.
      phone: `+447${pad((index * 7919 + seed * 13) % 1_000_000_000, 9)}`,
      addressLine,
      postcode,
      city: home.city,
      homeStoreCode: home.code,
      preferredChannel,
      joinedAt: new Date(Math.floor(joinedAt / 1000) * 1000).toISOString(),
      joinedChannel: rng() < 0.7 ? 'store' : preferredChannel,
      archetype,
      priceDriven: rng() < (loyal ? 0.15 : 0.35),
      duplicateOf,
      categories,
      favourites,
      omni: loyal && rng() < 0.55,
      lapseAt: loyal && rng() < 0.3 ? start + rng() * (end - start) : null,
    }
  }

  function timeOfDay(rng: Random, dayStart: number, channel: string) {
    const hour =
      channel === 'store' ? between(rng, 9, 18) : channel === 'call_center' ? between(rng, 9, 16) : rng() < 0.6 ? between(rng, 18, 22) : between(rng, 7, 17)
    return dayStart + hour * 3_600_000 + between(rng, 0, 3599) * 1000
  }

  interface Order {
    time: number
    channel: string
    store: string | null
    lines: { product: number; quantity: number; discountMinor: number }[]
  }

  /** One member's purchases in the window, in time order; the same every time it is asked for. */
  function ordersOf(member: ReturnType<typeof memberAt>, index: number): Order[] {
    const rng = random(seed, index + 1, 2)
    const kind = archetypes.find((a) => a.name === member.archetype) ?? archetypes[0]
    const from = Math.max(start, Date.parse(member.joinedAt))
    const years = (end - from) / (365.25 * day)
    let count = kind.name === 'one-off' ? (rng() < 0.15 ? 2 : 1) : Math.max(kind.minimum, poisson(rng, kind.ordersPerYear * years))
    const until = member.lapseAt && member.lapseAt > from ? member.lapseAt : end
    if (until < end) count = Math.max(1, Math.round((count * (until - from)) / (end - from)))
    // Whole days only, so a time of day never falls before joining or after the history ends.
    const firstDay = Math.ceil(from / day) * day
    const lastDay = Math.floor(until / day) * day
    if (lastDay <= firstDay) return []
    const times: number[] = []
    for (let tries = 0; times.length < count && tries < count * 40; tries++) {
      const t = firstDay + rng() * (lastDay - firstDay)
      const month = new Date(t).getUTCMonth()
      const accept = (monthDemand[month] / busiestMonth) * (member.priceDriven && !inSale(t) ? 0.3 : 1)
      if (rng() < accept) times.push(t)
    }
    times.sort((x, y) => x - y)
    const lastBought = new Map<number, number>()
    return times.map((t) => {
      const channel = member.omni
        ? channels[weighted(rng, cumulate([0.45, 0.3, 0.22, 0.03]))]
        : rng() < 0.8
          ? member.preferredChannel
          : channels[weighted(rng, preferredChannelWeights)]
      const store = channel === 'store' ? (rng() < 0.85 ? member.homeStoreCode : pick(rng, demoStores).code) : null
      const time = timeOfDay(rng, Math.floor(t / day) * day, channel)
      const sale = inSale(time)
      const month = new Date(time).getUTCMonth()
      const chosen: number[] = []
      for (const product of member.favourites) {
        const cycle = (demoCategories[products[product].categoryIndex].cycleDays ?? 365) * day
        const last = lastBought.get(product)
        if ((last === undefined || time - last > cycle * 0.7) && rng() < (member.archetype === 'devoted' ? 0.85 : 0.7)) chosen.push(product)
      }
      const discoveries = chosen.length ? (rng() < 0.45 ? 0 : between(rng, 1, 2)) : between(rng, 1, 3)
      for (let i = 0; i < discoveries; i++) {
        const category = rng() < 0.65 ? pick(rng, member.categories) : weighted(rng, seasonalCategoryWeights[month])
        const product = productsByCategory[category][weighted(rng, zipfByCategory[category])]
        if (!chosen.includes(product)) chosen.push(product)
      }
      const lines = chosen.map((product) => {
        const consumable = demoCategories[products[product].categoryIndex].cycleDays !== null
        const quantity = consumable ? weighted(rng, cumulate([0.7, 0.2, 0.1])) + 1 : rng() < 0.92 ? 1 : 2
        const discounted = rng() < (sale ? (member.priceDriven ? 0.85 : 0.35) : member.priceDriven ? 0.3 : 0.06)
        const share = discounted ? pick(rng, [0.1, 0.15, 0.2, 0.25, 0.3, 0.4]) : 0
        lastBought.set(product, time)
        return { product, quantity, discountMinor: Math.round(quantity * products[product].priceMinor * share) }
      })
      return { time, channel, store, lines }
    })
  }

  const memberList = Array.from({ length: options.members }, (_, i) => memberAt(i))

  function* historyOf(index: number): Generator<HistoryRow> {
    const member = memberList[index]
    const rng = random(seed, index + 1, 3)
    const events: { time: number; rows: HistoryRow[] }[] = []
    ordersOf(member, index).forEach((order, n) => {
      const orderId = `${member.id}-${pad(n + 1, 3)}`
      const row = (line: Order['lines'][number], quantity: number, time: number, channel: string, store: string | null): HistoryRow => {
        const product = products[line.product]
        return {
          memberId: member.id,
          orderId,
          occurredAt: new Date(time).toISOString(),
          sku: product.sku,
          quantity,
          unitPriceMinor: product.priceMinor,
          discountMinor: Math.round((line.discountMinor * Math.abs(quantity)) / line.quantity),
          channel,
          store,
          productName: product.name,
          category: product.category,
        }
      }
      events.push({ time: order.time, rows: order.lines.map((line) => row(line, line.quantity, order.time, order.channel, order.store)) })
      const returned = order.lines.filter(
        (line) => rng() < (demoCategories[products[line.product].categoryIndex] as DemoCategory).returnRate * (member.priceDriven ? 1.3 : 1),
      )
      const returnTime = timeOfDay(rng, Math.floor((order.time + between(rng, 2, 30) * day) / day) * day, 'store')
      if (returned.length && returnTime < end) {
        const inStore = rng() < 0.65
        const channel = inStore ? 'store' : order.channel
        const store = inStore ? member.homeStoreCode : order.store
        events.push({
          time: returnTime,
          rows: returned.map((line) =>
            row(line, -(line.quantity > 1 && rng() < 0.5 ? between(rng, 1, line.quantity - 1) : line.quantity), returnTime, channel, store),
          ),
        })
      }
    })
    events.sort((x, y) => x.time - y.time)
    for (const event of events) yield* event.rows
  }

  return {
    start: new Date(start),
    end: new Date(end),
    stores: demoStores.map(({ code, name, region, timezone }): GeneratedStore => ({ code, name, region, timezone })),
    products: products.map(({ categoryIndex: _, ...product }): GeneratedProduct => product),
    members: memberList as GeneratedMember[],
    /** Purchase and return lines, member by member, each member's in time order. */
    *rows(): Generator<HistoryRow> {
      for (let i = 0; i < memberList.length; i++) yield* historyOf(i)
    },
    historyOf,
    /** Visits, app opens, web sessions and wishlist adds around each member's orders (not part of the history file). */
    *visits(): Generator<GeneratedVisit> {
      const inWindow = (visit: GeneratedVisit) => visit.occurredAt >= new Date(start).toISOString() && visit.occurredAt < new Date(end).toISOString()
      for (const visit of allVisits()) if (inWindow(visit)) yield visit
    },
  }

  function* allVisits(): Generator<GeneratedVisit> {
    for (let i = 0; i < memberList.length; i++) {
      const member = memberList[i]
      const rng = random(seed, i + 1, 4)
      for (const order of ordersOf(member, i)) {
        if (order.channel === 'store')
          yield {
            memberId: member.id,
            kind: 'store_visit',
            channel: 'store',
            store: order.store,
            occurredAt: new Date(order.time - 600_000).toISOString(),
            sku: null,
          }
        if (order.channel === 'web' || order.channel === 'app') {
          const kind = order.channel === 'web' ? 'web_session' : 'app_open'
          for (let k = between(rng, 1, 3); k > 0; k--)
            yield {
              memberId: member.id,
              kind,
              channel: order.channel,
              store: null,
              occurredAt: new Date(order.time - between(rng, 1, 72) * 3_600_000).toISOString(),
              sku: null,
            }
        }
        if (rng() < 0.15) {
          const category = pick(rng, member.categories)
          const product = products[productsByCategory[category][weighted(rng, zipfByCategory[category])]]
          yield {
            memberId: member.id,
            kind: 'wishlist_add',
            channel: rng() < 0.5 ? 'app' : 'web',
            store: null,
            occurredAt: new Date(order.time + between(rng, 1, 10) * day).toISOString(),
            sku: product.sku,
          }
        }
      }
      // A few browsing visits that bought nothing: regulars drop in.
      const drops = member.archetype === 'devoted' ? between(rng, 2, 8) : member.archetype === 'regular' ? between(rng, 0, 4) : 0
      for (let k = 0; k < drops; k++) {
        const time = start + rng() * (end - start)
        yield {
          memberId: member.id,
          kind: 'store_visit',
          channel: 'store',
          store: member.homeStoreCode,
          occurredAt: new Date(timeOfDay(rng, Math.floor(time / day) * day, 'store')).toISOString(),
          sku: null,
        }
      }
    }
  }
}

export const historyHeader = 'member_id,order_id,occurred_at,sku,quantity,unit_price,channel,store,discount,product_name,category'

const money = (minor: number) => (minor / 100).toFixed(2)
const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value)

export function historyLine(row: HistoryRow) {
  return `${row.memberId},${row.orderId},${row.occurredAt},${row.sku},${row.quantity},${money(row.unitPriceMinor)},${row.channel},${row.store ?? ''},${money(row.discountMinor)},${csvField(row.productName)},${csvField(row.category)}`
}

export interface WriteHistoryOptions extends GeneratorOptions {
  /** A file path, or '-' for stdout. */
  out: string
  onProgress?: (rows: number, members: number) => void
}

/** Writes the generic purchase-history CSV; returns what it wrote. */
export async function writeHistoryCsv(options: WriteHistoryOptions) {
  const began = performance.now()
  const retailer = generateRetailer(options)
  const sink: Writable = options.out === '-' ? process.stdout : createWriteStream(options.out)
  let chunk = `${historyHeader}\n`
  let rows = 0
  let orders = 0
  let returns = 0
  const flush = async () => {
    if (!sink.write(chunk)) await once(sink, 'drain')
    chunk = ''
  }
  for (let i = 0; i < retailer.members.length; i++) {
    let lastOrder = ''
    for (const row of retailer.historyOf(i)) {
      const key = `${row.orderId}${row.quantity < 0 ? 'R' : ''}`
      if (key !== lastOrder) {
        if (row.quantity < 0) returns++
        else orders++
        lastOrder = key
      }
      chunk += `${historyLine(row)}\n`
      rows++
    }
    if (chunk.length > 1 << 20) await flush()
    if ((i + 1) % 1000 === 0) options.onProgress?.(rows, i + 1)
  }
  await flush()
  options.onProgress?.(rows, retailer.members.length)
  if (sink !== process.stdout) {
    sink.end()
    await once(sink, 'finish')
  }
  return { rows, members: retailer.members.length, orders, returns, seconds: (performance.now() - began) / 1000 }
}
