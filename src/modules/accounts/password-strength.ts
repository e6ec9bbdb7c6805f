import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core'
import { DomainError } from '../../platform/http/problems.js'

// Common passwords, names and keyboard patterns (the lists behind the estimate): a few MB that take
// seconds to index, so loaded at the first check rather than whenever the app starts.
let loaded: Promise<void> | undefined
const loadLists = () =>
  (loaded ??= import('@zxcvbn-ts/language-common').then((common) => {
    zxcvbnOptions.setOptions({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs })
  }))

/** zxcvbn's 0–4: 3 is "safely unguessable" against an offline attack on a slow hash. */
const minimumScore = 3

// zxcvbn-ts names its warnings by key; these say them the way a person would.
const warnings: Record<string, string> = {
  straightRow: 'A row of keys on the keyboard is easy to guess.',
  keyPattern: 'A short pattern on the keyboard is easy to guess.',
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: 'Repeated patterns like "abcabcabc" are easy to guess.',
  sequences: 'Sequences like "abc" or "6543" are easy to guess.',
  recentYears: 'Recent years are easy to guess.',
  dates: 'Dates are easy to guess.',
  topTen: 'This is one of the most used passwords.',
  topHundred: 'This is a very commonly used password.',
  common: 'This is a commonly used password.',
  similarToCommon: 'This is too close to a commonly used password.',
  wordByItself: 'A single word is easy to guess.',
  namesByThemselves: 'A name on its own is easy to guess.',
  commonNames: 'Common names and surnames are easy to guess.',
  userInputs: 'It should not contain your name or email.',
  pwned: 'This password appeared in a data breach.',
}

export class WeakPassword extends DomainError {
  constructor(field: string, reason: string) {
    const detail = `${reason} Try a few unrelated words together, like a short sentence only you would think of.`
    super('/problems/weak-password', 400, 'That password is too easy to guess', { errors: [{ field, message: reason }] }, detail)
  }
}

/**
 * Refuses a password that is common, breached-list material or quickly guessed, with the reason in
 * plain words. `personal` holds what an attacker knows about the person (their email, name).
 */
export async function requireStrongPassword(password: string, personal: (string | null | undefined)[] = [], field = 'body/password') {
  await loadLists()
  const inputs = personal.filter((p): p is string => Boolean(p)).flatMap((p) => [p, ...p.split(/[@.\s_-]+/)])
  const { score, feedback } = zxcvbn(password, inputs)
  if (score >= minimumScore) return
  throw new WeakPassword(field, (feedback.warning && warnings[feedback.warning]) ?? 'It would be guessed quickly.')
}
