/** "12 Dec": the end of a poll, in the reader's own time zone. */
export const shortDate = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' })

/** A chance 0–1 as a whole percentage. */
export const percent = (x: number) => `${Math.round(x * 100)}%`
