import { v7 } from 'uuid'

/** A new UUIDv7: time-ordered, so inserts stay at the right edge of primary-key indexes. */
export const newId = (): string => v7()
