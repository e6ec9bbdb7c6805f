import { hash, verify } from '@node-rs/argon2'
import type { PasswordCost } from '../../platform/config.js'

const options = (cost: PasswordCost) =>
  ({ algorithm: 2 /* Argon2id; the enum is a const enum */, memoryCost: cost.memoryKiB, timeCost: cost.passes, parallelism: 1 }) as const

export const hashPassword = (password: string, cost: PasswordCost): Promise<string> => hash(password, options(cost))

// Checked against when the email is unknown, so a wrong email takes as long as a wrong password;
// made once for each cost, at that cost.
const decoys = new Map<string, Promise<string>>()
const decoyFor = (cost: PasswordCost) => {
  const key = `${cost.memoryKiB}:${cost.passes}`
  if (!decoys.has(key)) decoys.set(key, hashPassword('decoy password that matches nothing', cost))
  return decoys.get(key) as Promise<string>
}

export async function passwordMatches(storedHash: string | undefined, password: string, cost: PasswordCost): Promise<boolean> {
  try {
    const ok = await verify(storedHash ?? (await decoyFor(cost)), password)
    return storedHash !== undefined && ok
  } catch {
    return false
  }
}
