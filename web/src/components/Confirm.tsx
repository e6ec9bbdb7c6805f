import { Button, type ButtonProps, Group, Modal, Stack, Text } from '@mantine/core'
import { type ReactNode, useState } from 'react'

/**
 * A button for something hard to take back (merge, retire, revoke, disable): it asks first, in a
 * dialog that says what will happen, and acts only on the dialog's own button.
 */
export function ConfirmButton({
  children,
  title,
  message,
  confirmLabel,
  onConfirm,
  danger = true,
  loading,
  ...button
}: ButtonProps & {
  children: ReactNode
  /** The question, e.g. "Merge Bea into Ada?" */
  title: string
  /** What will happen, and whether it can be undone. */
  message: ReactNode
  confirmLabel: string
  onConfirm: () => void
  danger?: boolean
}) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <Button {...button} loading={loading} onClick={() => setOpen(true)}>
        {children}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title} centered>
        <Stack>
          {typeof message === 'string' ? <Text size="sm">{message}</Text> : message}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button
              color={danger ? 'red' : undefined}
              onClick={() => {
                setOpen(false)
                onConfirm()
              }}
            >
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}
