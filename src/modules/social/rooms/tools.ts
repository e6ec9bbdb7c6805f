import { and, eq } from 'drizzle-orm'
import { type Static, type TSchema, Type } from 'typebox'
import type { Db } from '../../../platform/db/index.js'
import { DomainError, NotFound } from '../../../platform/http/problems.js'
import { compileChecker } from '../../../platform/http/validation.js'
import { newId } from '../../../platform/ids.js'
import { command, lockOpenRoom, message, productCard, type RoomCommand, say } from './commands.js'
import { roomTools } from './schema.js'

/** What a tool's reducer may know and look up: who sent the message, when, and the catalogue. */
export interface ToolContext {
  participant: { id: string; role: 'host' | 'guest' | 'associate'; memberId: string | null; name: string }
  /** Who opened this instance of the tool. */
  openedBy: string
  now: string
  /** The catalogue's card for a sku (price and stock now), or a refusal if there is none. */
  product(sku: string): Promise<{ sku: string; name: string; priceMinor: number | null; currency: string; inStock: boolean }>
  /** Sizes the member recorded (or an associate recorded for them) in their tastes. */
  recordedSizes(memberId: string): Promise<string[]>
}

/**
 * A room tool's contract (docs/tools.md): its id and version, the JSON schemas of its options,
 * state and messages, and the reducer the server runs. Clients never run tool logic for the
 * server; a message for another version is refused unless `accepts` says how to read it.
 */
export interface RoomTool<O extends TSchema = TSchema, S extends TSchema = TSchema, M extends TSchema = TSchema> {
  id: string
  version: number
  title: string
  options: O
  state: S
  message: M
  /** Older versions whose messages this version still reads, each with how a message becomes one of this version. */
  accepts?: Record<number, (message: unknown) => Static<M>>
  init(options: Static<O>, context: ToolContext): Static<S> | Promise<Static<S>>
  reduce(state: Static<S>, message: Static<M>, context: ToolContext): Static<S> | Promise<Static<S>>
}

declare module '../../../platform/deps.js' {
  interface Wiring {
    /** The tools rooms offer (src/composition.ts): the shipped ones, and any a retailer adds. */
    roomTools?: readonly RoomTool[]
  }
}

/** A tool refusing a message (a vote on a closed poll): the sender gets an error frame, the state stays as it was. */
export class ToolRefused extends DomainError {
  constructor(tool: string, detail: string) {
    super('/problems/tool-refused', 409, 'The tool refused this message', { tool }, detail)
  }
}

export class ToolVersionUnsupported extends DomainError {
  constructor(tool: RoomTool, version: number) {
    const supported = [tool.version, ...Object.keys(tool.accepts ?? {}).map(Number)].sort((a, b) => a - b)
    super(
      '/problems/tool-version',
      409,
      'This version of the tool is not supported',
      { tool: tool.id, version, current: tool.version, supported },
      `The room runs ${tool.id} version ${tool.version} (and reads versions ${supported.join(', ')}); reload to get the current client.`,
    )
  }
}

/** Declares a tool with its types checked against its schemas. */
export const defineTool = <O extends TSchema, S extends TSchema, M extends TSchema>(tool: RoomTool<O, S, M>): RoomTool => tool as unknown as RoomTool

const checkers = new WeakMap<TSchema, ReturnType<typeof compileChecker>>()
const check = (schema: TSchema, value: unknown, part: string) => {
  let checker = checkers.get(schema)
  if (!checker) {
    checker = compileChecker(schema)
    checkers.set(schema, checker)
  }
  return checker(value, part)
}

class ToolMessageInvalid extends DomainError {
  constructor(tool: string, errors: unknown[]) {
    super('/problems/invalid-request', 400, 'The tool message is not valid', { tool, errors })
  }
}

async function tastesSizes(db: Db, memberId: string): Promise<string[]> {
  const { tastePreferences } = await import('../../advisor/index.js')
  const rows = await db
    .select({ subject: tastePreferences.subject })
    .from(tastePreferences)
    .where(and(eq(tastePreferences.memberId, memberId), eq(tastePreferences.kind, 'size')))
  return rows.map((r) => r.subject)
}

const contextFor = (
  db: Db,
  p: { participantId: string; role: ToolContext['participant']['role']; memberId: string | null; name: string },
  openedBy: string,
  now: Date,
): ToolContext => ({
  participant: { id: p.participantId, role: p.role, memberId: p.memberId, name: p.name },
  openedBy,
  now: now.toISOString(),
  product: (sku) => productCard(db, sku),
  recordedSizes: (memberId) => tastesSizes(db, memberId),
})

/** `tool.open` and `tool.act`: the server runs the tool's reducer and keeps its state with the room. */
export function toolCommands(tools: readonly RoomTool[]): Record<string, RoomCommand> {
  const byId = new Map(tools.map((t) => [t.id, t]))
  const toolFor = (id: string) => {
    const tool = byId.get(id)
    if (!tool) throw new NotFound('Tool', id)
    return tool
  }
  const readable = (tool: RoomTool, version: number, sent: unknown) => {
    if (version === tool.version) return sent
    const upgrade = tool.accepts?.[version]
    if (!upgrade) throw new ToolVersionUnsupported(tool, version)
    return upgrade(sent)
  }
  return {
    'tool.open': command({
      schema: message('tool.open', {
        tool: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
        version: Type.Integer({ minimum: 1 }),
        options: Type.Unknown(),
      }),
      run: (context, m) =>
        context.deps.db.transaction(async (tx) => {
          const tool = toolFor(m.tool)
          if (m.version !== tool.version) throw new ToolVersionUnsupported(tool, m.version)
          const errors = check(tool.options, m.options, 'options')
          if (errors.length) throw new ToolMessageInvalid(tool.id, errors)
          await lockOpenRoom(tx, context.participant.roomId)
          const state = await tool.init(m.options as never, contextFor(tx, context.participant, context.participant.participantId, context.now))
          const id = newId()
          await tx.insert(roomTools).values({
            roomId: context.participant.roomId,
            id,
            tool: tool.id,
            version: tool.version,
            state,
            openedBy: context.participant.participantId,
            openedAt: context.now,
          })
          return [await say(context, 'tool.opened', { instanceId: id, tool: tool.id, version: tool.version, title: tool.title, state }, tx)]
        }),
    }),
    'tool.act': command({
      schema: message('tool.act', { instanceId: Type.String({ format: 'uuid' }), version: Type.Integer({ minimum: 1 }), message: Type.Unknown() }),
      run: (context, m) =>
        context.deps.db.transaction(async (tx) => {
          await lockOpenRoom(tx, context.participant.roomId)
          const [instance] = await tx
            .select()
            .from(roomTools)
            .where(and(eq(roomTools.roomId, context.participant.roomId), eq(roomTools.id, m.instanceId)))
          if (!instance) throw new NotFound('Tool', m.instanceId)
          const tool = toolFor(instance.tool)
          const sent = readable(tool, m.version, m.message)
          const errors = check(tool.message, sent, 'message')
          if (errors.length) throw new ToolMessageInvalid(tool.id, errors)
          const state = await tool.reduce(instance.state as never, sent as never, contextFor(tx, context.participant, instance.openedBy, context.now))
          // A reducer's result is held to its own schema: a bug in a tool cannot corrupt the room.
          const stateErrors = check(tool.state, state, 'state')
          if (stateErrors.length) throw new ToolRefused(tool.id, 'The tool produced a state its contract does not allow; nothing changed.')
          await tx
            .update(roomTools)
            .set({ state })
            .where(and(eq(roomTools.roomId, instance.roomId), eq(roomTools.id, instance.id)))
          return [await say(context, 'tool.state', { instanceId: instance.id, tool: tool.id, version: tool.version, state }, tx)]
        }),
    }),
  }
}
