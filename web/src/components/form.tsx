import {
  Button,
  Checkbox,
  type CheckboxProps,
  Group,
  MultiSelect,
  type MultiSelectProps,
  NumberInput,
  type NumberInputProps,
  PasswordInput,
  type PasswordInputProps,
  Select,
  type SelectProps,
  TagsInput,
  type TagsInputProps,
  Textarea,
  type TextareaProps,
  TextInput,
  type TextInputProps,
} from '@mantine/core'
import type { ComponentType, ReactNode } from 'react'
import { type FieldPath, type FieldValues, type RegisterOptions, type UseFormReturn, useController } from 'react-hook-form'
import { Problem } from '../api'

/*
 * Forms of more than two fields run on react-hook-form: each field says in people's words what is
 * wrong with it ("That email doesn't look right") before anything is sent, and a field the server
 * still refuses is marked on the field itself, not shown as a schema path.
 */

export const emailPattern = { value: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, message: "That email doesn't look right" }

/** What a field must be, each rule with the message a person reads when it is broken. */
export type Rules<T extends FieldValues, N extends FieldPath<T> = FieldPath<T>> = Omit<
  RegisterOptions<T, N>,
  'valueAsNumber' | 'valueAsDate' | 'setValueAs' | 'disabled'
>
type Bound<T extends FieldValues, N extends FieldPath<T>> = { form: UseFormReturn<T>; name: N; rules?: Rules<T, N> }

/** A Mantine input bound to one field of a form: its value, its rules, and the message when it breaks one. */
function bind<P extends object>(Input: ComponentType<P>, empty?: string) {
  return function Field<T extends FieldValues, N extends FieldPath<T>>({ form, name, rules, ...input }: Bound<T, N> & Omit<P, Unbound>) {
    const { field, fieldState } = useController({ control: form.control, name, rules })
    const props = { withAsterisk: Boolean(rules?.required), ...input, ...field, value: field.value ?? empty, error: fieldState.error?.message }
    return <Input {...(props as unknown as P)} />
  }
}
type Unbound = 'form' | 'name' | 'value' | 'onChange' | 'error'

export const TextField = bind<TextInputProps>(TextInput, '')
export const PasswordField = bind<PasswordInputProps>(PasswordInput, '')
export const NumberField = bind<NumberInputProps>(NumberInput, '')
export const SelectField = bind<SelectProps>((props) => <Select allowDeselect={false} {...props} />)
export const MultiSelectField = bind<MultiSelectProps>(MultiSelect)
export const TextareaField = bind<TextareaProps>(Textarea, '')
export const TagsField = bind<TagsInputProps>(TagsInput)

export function CheckboxField<T extends FieldValues, N extends FieldPath<T>>({ form, name, ...input }: Bound<T, N> & Omit<CheckboxProps, Unbound | 'checked'>) {
  const { field } = useController({ control: form.control, name })
  return (
    <Checkbox
      {...input}
      name={field.name}
      ref={field.ref}
      checked={Boolean(field.value)}
      onBlur={field.onBlur}
      onChange={(e) => field.onChange(e.currentTarget.checked)}
    />
  )
}

/**
 * A row of fields that wraps on a narrow screen, then its submit button. `onSubmit` runs only when
 * every field passes its rules; a field the server refuses (a problem naming it) is marked with `refused`.
 */
export function FormRow<T extends FieldValues>({
  form,
  onSubmit,
  submitLabel,
  pending,
  disabled,
  children,
}: {
  form: UseFormReturn<T>
  onSubmit: (values: T) => void
  submitLabel: string
  pending?: boolean
  disabled?: boolean
  children: ReactNode
}) {
  return (
    <form onSubmit={form.handleSubmit(onSubmit)} noValidate>
      <Group mt="md" align="flex-start" wrap="wrap" gap="xs">
        {children}
        <Button type="submit" loading={pending} disabled={disabled} mt={25}>
          {submitLabel}
        </Button>
      </Group>
    </form>
  )
}

/**
 * Marks the fields a problem names (`/items/0/code` → `code`) on the form, with the server's words
 * ("That email doesn't look right"): every refusal, a schema's or a domain's, is written for people.
 * `words` may say it the form's own way for a field ("Letters, digits, - and _ only").
 */
export function markRefused<T extends FieldValues>(form: UseFormReturn<T>, error: unknown, words: Partial<Record<FieldPath<T>, string>> = {}) {
  if (!(error instanceof Problem)) return
  for (const e of error.errors) {
    const name = e.field.split('/').filter(Boolean).at(-1) as FieldPath<T> | undefined
    const message = (error.type === '/problems/invalid-request' && name && words[name]) || e.message
    if (name && message && name in form.getValues()) form.setError(name, { type: 'server', message })
  }
}
