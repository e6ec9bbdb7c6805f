/** How money, dates and names read in the UI (British English, the demo retailer's). */

export const money = (minor: number | null | undefined, currency = 'GBP') =>
  minor === null || minor === undefined ? '—' : new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(minor / 100)

export const shortMoney = (minor: number, currency = 'GBP') =>
  new Intl.NumberFormat('en-GB', { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(minor / 100)

export const dateTime = (iso: string | null | undefined) =>
  iso ? new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—'

export const date = (iso: string | null | undefined) => (iso ? new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(new Date(iso)) : '—')

export const percent = (share: number) => `${Math.round(share * 100)}%`

const labels: Record<string, string> = {
  purchase: 'Purchase',
  return: 'Return',
  store_visit: 'Store visit',
  web_session: 'Web visit',
  app_open: 'App opened',
  wishlist_add: 'Added to wishlist',
  store: 'In store',
  web: 'Web shop',
  app: 'App',
  call_center: 'Call centre',
  loyalty_id: 'Loyalty id',
  card: 'Card',
  email: 'Email',
  phone: 'Phone',
  device: 'App device',
  web_account: 'Web account',
  pos_customer: 'Till customer number',
  marketing: 'News and offers',
  profiling: 'Personal suggestions from my shopping',
  social_visibility: 'Friends can see me',
  new: 'New',
  relationship_driven: 'Relationship-driven',
  fluctuating: 'Fluctuating',
  price_driven: 'Price-driven',
  lapsed: 'Lapsed',
  none: 'Not yet a buyer',
  talked: 'Talked',
  suggestion_accepted: 'Took a suggestion',
  bought: 'Bought',
  booked: 'Booked a visit',
  no_answer: 'No answer',
  messaged: 'Messaged',
  not_interested: 'Not interested',
  follow_up: 'Follow-up',
  like: 'Likes',
  dislike: 'Not for them',
  size: 'Size',
  never_suggest: 'Never suggest',
  birthday: 'Birthday',
  back_in_stock: 'Back in stock',
  new_arrival: 'New arrival',
  drifting: 'Drifting away',
  long_absence: 'Not seen lately',
  visit: 'Visit',
  call: 'Call',
}

/** The retailer's word for a code the API uses (kinds, channels, identifier kinds, consents). */
export const label = (code: string) => labels[code] ?? code.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase())
