import type { IdeaSummary } from '../api'

/** Statuses as members read them, with the badge colour. */
export const statusWords: Record<IdeaSummary['status'], { label: string; color: string }> = {
  new: { label: 'New', color: 'gray' },
  under_review: { label: 'Under review', color: 'blue' },
  planned: { label: 'Planned', color: 'violet' },
  in_stock: { label: 'In stock now', color: 'teal' },
  declined: { label: 'Declined', color: 'red' },
  merged: { label: 'Merged', color: 'gray' },
}

export const kindWords: Record<IdeaSummary['kind'], string> = { product: 'A product', range: 'A range change', service: 'A store service' }

/** Where an idea belongs, in a few words. */
export function placeOf(idea: Pick<IdeaSummary, 'scope' | 'storeName' | 'region' | 'category'>) {
  const where = idea.scope === 'store' ? (idea.storeName ?? 'A store') : idea.scope === 'region' ? (idea.region ?? 'A region') : 'Every shop'
  return idea.category ? `${where} · ${idea.category}` : where
}

/** Weighted support reads as a number with at most one decimal. */
export const supportText = (support: number) => (Number.isInteger(support) ? String(support) : support.toFixed(1))

/** An idea's title as a link: bold, in the text's colour, wrapping anywhere (long words on a phone). */
export const ideaLink = { fontWeight: 600, color: 'var(--mantine-color-dark-7)', textDecoration: 'none', overflowWrap: 'anywhere' } as const
