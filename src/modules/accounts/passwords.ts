import { hash, verify } from '@node-rs/argon2'

// argon2id at 46 MiB, 1 pass: one of OWASP's recommended settings, set explicitly rather than left to defaults.
const cost = { algorithm: 2 /* Argon2id; the enum is a const enum */, memoryCost: 47_104, timeCost: 1, parallelism: 1 } as const

export const hashPassword = (password: string): Promise<string> => hash(password, cost)

// Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
const decoy = hashPassword('decoy password that matches nothing')

export async function passwordMatches(storedHash: string | undefined, password: string): Promise<boolean> {
  try {
    const ok = await verify(storedHash ?? (await decoy), password)
    return storedHash !== undefined && ok
  } catch {
    return false
  }
}
